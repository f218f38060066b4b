import { timeframeToMs } from '@trading/datasets';

export interface CandleGap {
  readonly seriesKey: string;
  /** Open time of the first missing candle. */
  readonly from: number;
  /** Open time of the candle that arrived after the gap (exclusive end). */
  readonly to: number;
  readonly missing: number;
}

/** Tracks the last candle time per series and reports the missing candles when a later one arrives. */
export class GapDetector {
  private readonly last = new Map<string, number>();

  /** Returns the gap before `time`, if any, and records `time` as the series' latest. */
  observe(seriesKey: string, timeframe: string, time: number): CandleGap | null {
    const step = timeframeToMs(timeframe);
    const previous = this.last.get(seriesKey);
    if (previous === undefined || time <= previous) {
      if (previous === undefined || time > previous) this.last.set(seriesKey, time);
      return null;
    }
    this.last.set(seriesKey, time);
    const missing = (time - previous) / step - 1;
    if (missing < 1) return null;
    return { seriesKey, from: previous + step, to: time, missing: Math.round(missing) };
  }

  /** Start tracking from a known last time (e.g. the newest stored candle after a restart). */
  seed(seriesKey: string, time: number): void {
    const previous = this.last.get(seriesKey);
    if (previous === undefined || time > previous) this.last.set(seriesKey, time);
  }
}
