import { assertPeriod, nanArray } from './period';

/** max(high - low, |high - previous close|, |low - previous close|). */
export function trueRange(high: number, low: number, previousClose: number): number {
  const range = high - low;
  const up = Math.abs(high - previousClose);
  const down = Math.abs(low - previousClose);
  return range > up ? (range > down ? range : down) : up > down ? up : down;
}

/**
 * Average true range (TA-Lib ATR). The true range needs the previous close, so it is undefined
 * on the first bar; the first ATR, at index `period`, is the mean of the first `period` true
 * ranges; then Wilder's smoothing atr = (atr * (period - 1) + tr) / period.
 * (StockCharts' worksheet instead counts high - low of the first bar as a true range and starts
 * one bar earlier; the difference fades by (period-1)/period per bar.)
 */
export class Atr {
  value = Number.NaN;
  private previousClose = Number.NaN;
  private count = 0;
  private sum = 0;

  constructor(readonly period = 14) {
    assertPeriod('ATR period', period);
  }

  get ready(): boolean {
    return this.count > this.period;
  }

  update(high: number, low: number, close: number): number {
    const n = this.period;
    if (this.count > 0) {
      const tr = trueRange(high, low, this.previousClose);
      if (this.count > n) this.value = (this.value * (n - 1) + tr) / n;
      else {
        this.sum += tr;
        if (this.count === n) this.value = this.sum / n;
      }
    }
    this.count++;
    this.previousClose = close;
    return this.value;
  }
}

/** Batch {@link Atr}: NaN for the first `period` bars. */
export function atr(high: ArrayLike<number>, low: ArrayLike<number>, close: ArrayLike<number>, period = 14): Float64Array {
  assertPeriod('ATR period', period);
  const n = close.length;
  const out = nanArray(n);
  if (n <= period) return out;
  let sum = 0;
  for (let i = 1; i <= period; i++) sum += trueRange(high[i], low[i], close[i - 1]);
  let value = sum / period;
  out[period] = value;
  for (let i = period + 1; i < n; i++) {
    value = (value * (period - 1) + trueRange(high[i], low[i], close[i - 1])) / period;
    out[i] = value;
  }
  return out;
}
