import { assertPeriod, nanArray } from './period';

/**
 * Relative strength index, Wilder's smoothing (TA-Lib RSI). Gains and losses are the positive
 * and negative close-to-close changes; the first averages are the simple means of the first
 * `period` gains/losses, so the first value is at index `period` (one change needs two closes);
 * then avg = (avg * (period - 1) + current) / period. RSI = 100 * avgGain / (avgGain + avgLoss),
 * which equals 100 - 100 / (1 + RS); 0 when nothing moved.
 */
export class Rsi {
  value = Number.NaN;
  private previous = Number.NaN;
  private count = 0;
  private avgGain = 0;
  private avgLoss = 0;

  constructor(readonly period: number) {
    assertPeriod('RSI period', period);
  }

  get ready(): boolean {
    return this.count > this.period;
  }

  update(close: number): number {
    const n = this.period;
    if (this.count === 0) {
      this.count = 1;
      this.previous = close;
      return this.value;
    }
    const change = close - this.previous;
    this.previous = close;
    const gain = change > 0 ? change : 0;
    const loss = change < 0 ? -change : 0;
    if (this.count <= n) {
      this.avgGain += gain / n;
      this.avgLoss += loss / n;
      this.count++;
      if (this.count <= n) return this.value;
    } else {
      this.avgGain = (this.avgGain * (n - 1) + gain) / n;
      this.avgLoss = (this.avgLoss * (n - 1) + loss) / n;
    }
    const total = this.avgGain + this.avgLoss;
    this.value = total === 0 ? 0 : (100 * this.avgGain) / total;
    return this.value;
  }
}

/** Batch {@link Rsi}: NaN for the first `period` values. */
export function rsi(closes: ArrayLike<number>, period: number): Float64Array {
  assertPeriod('RSI period', period);
  const out = nanArray(closes.length);
  if (closes.length <= period) return out;
  let avgGain = 0;
  let avgLoss = 0;
  for (let i = 1; i <= period; i++) {
    const change = closes[i] - closes[i - 1];
    if (change > 0) avgGain += change / period;
    else avgLoss -= change / period;
  }
  out[period] = avgGain + avgLoss === 0 ? 0 : (100 * avgGain) / (avgGain + avgLoss);
  for (let i = period + 1; i < closes.length; i++) {
    const change = closes[i] - closes[i - 1];
    avgGain = (avgGain * (period - 1) + (change > 0 ? change : 0)) / period;
    avgLoss = (avgLoss * (period - 1) + (change < 0 ? -change : 0)) / period;
    out[i] = avgGain + avgLoss === 0 ? 0 : (100 * avgGain) / (avgGain + avgLoss);
  }
  return out;
}
