import { assertPeriod, nanArray } from './period';

/**
 * Volume-weighted average price of the typical price (high + low + close) / 3.
 * Without a period it is cumulative from the first bar (call `reset()` at a session start);
 * with a period it covers the last `period` bars. NaN while the summed volume is 0.
 */
export class Vwap {
  value = Number.NaN;
  private readonly pv: Float64Array | undefined;
  private readonly vol: Float64Array | undefined;
  private index = 0;
  private count = 0;
  private sumPv = 0;
  private sumVolume = 0;

  constructor(readonly period?: number) {
    if (period !== undefined) {
      assertPeriod('VWAP period', period);
      this.pv = new Float64Array(period);
      this.vol = new Float64Array(period);
    }
  }

  get ready(): boolean {
    return !Number.isNaN(this.value);
  }

  reset(): void {
    this.value = Number.NaN;
    this.index = this.count = this.sumPv = this.sumVolume = 0;
  }

  update(high: number, low: number, close: number, volume: number): number {
    const pv = ((high + low + close) / 3) * volume;
    this.sumPv += pv;
    this.sumVolume += volume;
    if (this.pv && this.vol && this.period !== undefined) {
      if (this.count < this.period) this.count++;
      else {
        this.sumPv -= this.pv[this.index];
        this.sumVolume -= this.vol[this.index];
      }
      this.pv[this.index] = pv;
      this.vol[this.index] = volume;
      this.index = this.index + 1 === this.period ? 0 : this.index + 1;
      if (this.index === 0) {
        // re-derive the sliding sums once per window so rounding error cannot accumulate
        this.sumPv = 0;
        this.sumVolume = 0;
        for (let i = 0; i < this.period; i++) {
          this.sumPv += this.pv[i];
          this.sumVolume += this.vol[i];
        }
      }
      if (this.count < this.period) return (this.value = Number.NaN);
    }
    this.value = this.sumVolume > 0 ? this.sumPv / this.sumVolume : Number.NaN;
    return this.value;
  }
}

/** Batch {@link Vwap}. */
export function vwap(
  high: ArrayLike<number>,
  low: ArrayLike<number>,
  close: ArrayLike<number>,
  volume: ArrayLike<number>,
  period?: number,
): Float64Array {
  if (period !== undefined) assertPeriod('VWAP period', period);
  const n = close.length;
  const out = nanArray(n);
  let sumPv = 0;
  let sumVolume = 0;
  let untilRecompute = period ?? 0;
  for (let i = 0; i < n; i++) {
    sumPv += ((high[i] + low[i] + close[i]) / 3) * volume[i];
    sumVolume += volume[i];
    if (period !== undefined) {
      if (i >= period) {
        const j = i - period;
        sumPv -= ((high[j] + low[j] + close[j]) / 3) * volume[j];
        sumVolume -= volume[j];
      }
      if (--untilRecompute === 0) {
        untilRecompute = period;
        sumPv = 0;
        sumVolume = 0;
        for (let j = i + 1 - period; j <= i; j++) {
          sumPv += ((high[j] + low[j] + close[j]) / 3) * volume[j];
          sumVolume += volume[j];
        }
      }
      if (i < period - 1) continue;
    }
    if (sumVolume > 0) out[i] = sumPv / sumVolume;
  }
  return out;
}
