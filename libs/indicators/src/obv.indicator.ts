/**
 * On-balance volume (TA-Lib OBV): starts at the first bar's volume, then adds the volume of
 * a bar that closes higher than the previous one and subtracts it when it closes lower.
 */
export class Obv {
  value = Number.NaN;
  private previousClose = Number.NaN;

  get ready(): boolean {
    return !Number.isNaN(this.value);
  }

  update(close: number, volume: number): number {
    if (Number.isNaN(this.value)) this.value = volume;
    else if (close > this.previousClose) this.value += volume;
    else if (close < this.previousClose) this.value -= volume;
    this.previousClose = close;
    return this.value;
  }
}

/** Batch {@link Obv}: defined from the first bar. */
export function obv(close: ArrayLike<number>, volume: ArrayLike<number>): Float64Array {
  const out = new Float64Array(close.length);
  let value = 0;
  for (let i = 0; i < close.length; i++) {
    if (i === 0) value = volume[0];
    else if (close[i] > close[i - 1]) value += volume[i];
    else if (close[i] < close[i - 1]) value -= volume[i];
    out[i] = value;
  }
  return out;
}
