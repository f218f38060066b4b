import { assertPeriod, nanArray } from './period';

/**
 * Linearly weighted moving average: weights 1..period, newest value heaviest, divided by
 * period*(period+1)/2. First value at index period-1 (TA-Lib WMA). O(1) per update through
 * a running weighted sum: numerator' = numerator + period*x - sum(previous window).
 */
export class Wma {
  value = Number.NaN;
  private readonly window: Float64Array;
  private readonly divisor: number;
  private index = 0;
  private count = 0;
  private sum = 0;
  private weighted = 0;

  constructor(readonly period: number) {
    assertPeriod('WMA period', period);
    this.window = new Float64Array(period);
    this.divisor = (period * (period + 1)) / 2;
  }

  get ready(): boolean {
    return this.count >= this.period;
  }

  update(x: number): number {
    if (this.count < this.period) {
      this.count++;
      this.weighted += this.count * x;
      this.sum += x;
    } else {
      this.weighted += this.period * x - this.sum;
      this.sum += x - this.window[this.index];
    }
    this.window[this.index] = x;
    this.index = this.index + 1 === this.period ? 0 : this.index + 1;
    if (this.index === 0) {
      // the ring is in time order now: re-derive both sums exactly (see windowSum)
      this.sum = 0;
      this.weighted = 0;
      for (let i = 0; i < this.period; i++) {
        this.sum += this.window[i];
        this.weighted += (i + 1) * this.window[i];
      }
    }
    this.value = this.count >= this.period ? this.weighted / this.divisor : Number.NaN;
    return this.value;
  }
}

/** Batch {@link Wma}: NaN for the first period-1 values. */
export function wma(values: ArrayLike<number>, period: number): Float64Array {
  assertPeriod('WMA period', period);
  const out = nanArray(values.length);
  const divisor = (period * (period + 1)) / 2;
  let sum = 0;
  let weighted = 0;
  let untilRecompute = period;
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (i < period) {
      weighted += (i + 1) * x;
      sum += x;
    } else {
      weighted += period * x - sum;
      sum += x - values[i - period];
    }
    if (--untilRecompute === 0) {
      untilRecompute = period;
      sum = 0;
      weighted = 0;
      for (let j = 0; j < period; j++) {
        sum += values[i + 1 - period + j];
        weighted += (j + 1) * values[i + 1 - period + j];
      }
    }
    if (i >= period - 1) out[i] = weighted / divisor;
  }
  return out;
}
