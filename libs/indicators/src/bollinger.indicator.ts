import { assertPeriod, nanArray } from './period';

/**
 * Bollinger Bands: middle = SMA(period); upper/lower = middle +/- multiplier * standard
 * deviation of the same window, population form (divide by period, as TA-Lib BBANDS and
 * Bollinger himself). First value at index period-1. The window mean and sum of squared
 * deviations are slid together (Welford-style) and recomputed in two passes each time the
 * window has been fully replaced, so the error stays relative to current prices.
 */
export class BollingerBands {
  upper = Number.NaN;
  middle = Number.NaN;
  lower = Number.NaN;
  private readonly window: Float64Array;
  private index = 0;
  private count = 0;
  private mean = 0;
  private m2 = 0;

  constructor(
    readonly period = 20,
    readonly multiplier = 2,
  ) {
    assertPeriod('Bollinger period', period);
    if (!(multiplier >= 0)) throw new RangeError(`Bollinger multiplier must be >= 0, got ${multiplier}`);
    this.window = new Float64Array(period);
  }

  get ready(): boolean {
    return this.count >= this.period;
  }

  update(x: number): this {
    if (this.count < this.period) {
      this.count++;
      const delta = x - this.mean;
      this.mean += delta / this.count;
      this.m2 += delta * (x - this.mean);
    } else {
      const old = this.window[this.index];
      const previousMean = this.mean;
      this.mean += (x - old) / this.period;
      this.m2 += (x - old) * (x - this.mean + old - previousMean);
      if (this.m2 < 0) this.m2 = 0;
    }
    this.window[this.index] = x;
    this.index = this.index + 1 === this.period ? 0 : this.index + 1;
    if (this.index === 0) {
      // two-pass recompute once per window: sliding updates cannot accumulate error
      [this.mean, this.m2] = meanAndM2(this.window, 0, this.period);
    }
    if (this.count >= this.period) {
      const width = this.multiplier * Math.sqrt(this.m2 / this.period);
      this.middle = this.mean;
      this.upper = this.mean + width;
      this.lower = this.mean - width;
    }
    return this;
  }
}

function meanAndM2(values: ArrayLike<number>, from: number, to: number): [number, number] {
  let sum = 0;
  for (let i = from; i < to; i++) sum += values[i];
  const mean = sum / (to - from);
  let m2 = 0;
  for (let i = from; i < to; i++) m2 += (values[i] - mean) * (values[i] - mean);
  return [mean, m2];
}

export interface BollingerSeries {
  readonly upper: Float64Array;
  readonly middle: Float64Array;
  readonly lower: Float64Array;
}

/** Batch {@link BollingerBands}. */
export function bollinger(values: ArrayLike<number>, period = 20, multiplier = 2): BollingerSeries {
  assertPeriod('Bollinger period', period);
  const n = values.length;
  const upper = nanArray(n);
  const middle = nanArray(n);
  const lower = nanArray(n);
  let mean = 0;
  let m2 = 0;
  let untilRecompute = period;
  for (let i = 0; i < n; i++) {
    const x = values[i];
    if (i < period) {
      const delta = x - mean;
      mean += delta / (i + 1);
      m2 += delta * (x - mean);
    } else {
      const old = values[i - period];
      const previousMean = mean;
      mean += (x - old) / period;
      m2 += (x - old) * (x - mean + old - previousMean);
      if (m2 < 0) m2 = 0;
    }
    if (--untilRecompute === 0) {
      [mean, m2] = meanAndM2(values, i + 1 - period, i + 1);
      untilRecompute = period;
    }
    if (i >= period - 1) {
      const width = multiplier * Math.sqrt(m2 / period);
      middle[i] = mean;
      upper[i] = mean + width;
      lower[i] = mean - width;
    }
  }
  return { upper, middle, lower };
}
