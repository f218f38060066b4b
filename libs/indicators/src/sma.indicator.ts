import { assertPeriod, nanArray } from './period';

/**
 * A running sum keeps the rounding error of every value it ever held; recomputing it each time
 * the window has been fully replaced (O(period) once per period updates: O(1) amortised) keeps
 * the error relative to the current prices, even after a 1000x move.
 */
export function windowSum(window: ArrayLike<number>, from = 0, to = window.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += window[i];
  return sum;
}

/**
 * Simple moving average: the mean of the last `period` values.
 * First value at index period-1 (TA-Lib SMA).
 */
export class Sma {
  value = Number.NaN;
  private readonly window: Float64Array;
  private index = 0;
  private count = 0;
  private sum = 0;

  constructor(readonly period: number) {
    assertPeriod('SMA period', period);
    this.window = new Float64Array(period);
  }

  get ready(): boolean {
    return this.count >= this.period;
  }

  update(x: number): number {
    if (this.count < this.period) this.count++;
    else this.sum -= this.window[this.index];
    this.window[this.index] = x;
    this.sum += x;
    this.index = this.index + 1 === this.period ? 0 : this.index + 1;
    if (this.index === 0) this.sum = windowSum(this.window);
    this.value = this.count >= this.period ? this.sum / this.period : Number.NaN;
    return this.value;
  }
}

/** Batch {@link Sma}: NaN for the first period-1 values. */
export function sma(values: ArrayLike<number>, period: number): Float64Array {
  assertPeriod('SMA period', period);
  const out = nanArray(values.length);
  let sum = 0;
  let untilRecompute = period;
  for (let i = 0; i < values.length; i++) {
    sum += values[i];
    if (i >= period) sum -= values[i - period];
    if (--untilRecompute === 0) {
      sum = windowSum(values, i + 1 - period, i + 1);
      untilRecompute = period;
    }
    if (i >= period - 1) out[i] = sum / period;
  }
  return out;
}
