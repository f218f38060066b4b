import { trueRange } from './atr.indicator';
import { assertPeriod, nanArray } from './period';

/**
 * Average directional index, as Wilder defines it (New Concepts in Technical Trading Systems):
 * from the second bar, +DM = high - previous high and -DM = previous low - low, keeping only
 * the larger one when positive (both 0 on an inside bar or a tie); TR as for ATR.
 * TR14, +DM14, -DM14 start as the plain sums of the first `period` values (index `period`),
 * then x14 = x14 - x14 / period + x. +DI = 100 * +DM14 / TR14, -DI likewise (first at index
 * `period`); DX = 100 * |+DI - -DI| / (+DI + -DI) (0 when both are 0). ADX starts as the mean
 * of the first `period` DX values (index 2*period - 1), then adx = (adx * (period-1) + dx) / period.
 */
export class Adx {
  value = Number.NaN;
  plusDi = Number.NaN;
  minusDi = Number.NaN;
  dx = Number.NaN;
  private previousHigh = Number.NaN;
  private previousLow = Number.NaN;
  private previousClose = Number.NaN;
  private count = 0;
  private tr = 0;
  private plusDm = 0;
  private minusDm = 0;
  private dxSum = 0;

  constructor(readonly period = 14) {
    assertPeriod('ADX period', period);
  }

  get ready(): boolean {
    return !Number.isNaN(this.value);
  }

  update(high: number, low: number, close: number): number {
    const n = this.period;
    const bar = this.count++;
    if (bar > 0) {
      const up = high - this.previousHigh;
      const down = this.previousLow - low;
      const plus = up > down && up > 0 ? up : 0;
      const minus = down > up && down > 0 ? down : 0;
      const tr = trueRange(high, low, this.previousClose);
      if (bar <= n) {
        this.tr += tr;
        this.plusDm += plus;
        this.minusDm += minus;
      } else {
        this.tr += tr - this.tr / n;
        this.plusDm += plus - this.plusDm / n;
        this.minusDm += minus - this.minusDm / n;
      }
      if (bar >= n) this.directional(bar);
    }
    this.previousHigh = high;
    this.previousLow = low;
    this.previousClose = close;
    return this.value;
  }

  private directional(bar: number): void {
    const n = this.period;
    this.plusDi = this.tr > 0 ? (100 * this.plusDm) / this.tr : 0;
    this.minusDi = this.tr > 0 ? (100 * this.minusDm) / this.tr : 0;
    const sum = this.plusDi + this.minusDi;
    this.dx = sum > 0 ? (100 * Math.abs(this.plusDi - this.minusDi)) / sum : 0;
    if (bar < 2 * n - 1) this.dxSum += this.dx;
    else if (bar === 2 * n - 1) this.value = (this.dxSum + this.dx) / n;
    else this.value = (this.value * (n - 1) + this.dx) / n;
  }
}

export interface AdxSeries {
  readonly adx: Float64Array;
  readonly plusDi: Float64Array;
  readonly minusDi: Float64Array;
}

/** Batch {@link Adx}. */
export function adx(high: ArrayLike<number>, low: ArrayLike<number>, close: ArrayLike<number>, period = 14): AdxSeries {
  assertPeriod('ADX period', period);
  const len = close.length;
  const out = nanArray(len);
  const plusDi = nanArray(len);
  const minusDi = nanArray(len);
  let tr = 0;
  let pdm = 0;
  let mdm = 0;
  let dxSum = 0;
  let value = Number.NaN;
  for (let i = 1; i < len; i++) {
    const up = high[i] - high[i - 1];
    const down = low[i - 1] - low[i];
    const plus = up > down && up > 0 ? up : 0;
    const minus = down > up && down > 0 ? down : 0;
    const t = trueRange(high[i], low[i], close[i - 1]);
    if (i <= period) {
      tr += t;
      pdm += plus;
      mdm += minus;
    } else {
      tr += t - tr / period;
      pdm += plus - pdm / period;
      mdm += minus - mdm / period;
    }
    if (i < period) continue;
    const p = tr > 0 ? (100 * pdm) / tr : 0;
    const m = tr > 0 ? (100 * mdm) / tr : 0;
    plusDi[i] = p;
    minusDi[i] = m;
    const dx = p + m > 0 ? (100 * Math.abs(p - m)) / (p + m) : 0;
    if (i < 2 * period - 1) dxSum += dx;
    else if (i === 2 * period - 1) value = (dxSum + dx) / period;
    else value = (value * (period - 1) + dx) / period;
    if (i >= 2 * period - 1) out[i] = value;
  }
  return { adx: out, plusDi, minusDi };
}
