import { assertPeriod, nanArray } from './period';

/**
 * Exponential moving average with alpha = 2 / (period + 1), seeded with the SMA of the
 * first `period` values (TA-Lib's default): first value at index period-1, then
 * ema = ema + alpha * (x - ema).
 */
export class Ema {
  value = Number.NaN;
  private readonly alpha: number;
  private count = 0;
  private seedSum = 0;

  constructor(readonly period: number) {
    assertPeriod('EMA period', period);
    this.alpha = 2 / (period + 1);
  }

  get ready(): boolean {
    return this.count >= this.period;
  }

  update(x: number): number {
    if (this.count >= this.period) {
      this.value += this.alpha * (x - this.value);
    } else {
      this.count++;
      this.seedSum += x;
      if (this.count === this.period) this.value = this.seedSum / this.period;
    }
    return this.value;
  }
}

/** Batch {@link Ema}: NaN for the first period-1 values. */
export function ema(values: ArrayLike<number>, period: number): Float64Array {
  assertPeriod('EMA period', period);
  const out = nanArray(values.length);
  if (values.length < period) return out;
  const alpha = 2 / (period + 1);
  let sum = 0;
  for (let i = 0; i < period; i++) sum += values[i];
  let value = sum / period;
  out[period - 1] = value;
  for (let i = period; i < values.length; i++) {
    value += alpha * (values[i] - value);
    out[i] = value;
  }
  return out;
}
