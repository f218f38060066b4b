import { Ema, ema } from './ema.indicator';
import { assertPeriod, nanArray } from './period';

/**
 * MACD = EMA(fast) - EMA(slow); signal = EMA(signal) of MACD; histogram = MACD - signal.
 * Both price EMAs are seeded with the SMA of the first `fast` / `slow` closes, so MACD starts
 * at index slow-1; the signal EMA is seeded with the SMA of the first `signal` MACD values, so
 * signal and histogram start at index slow+signal-2 (33 for 12/26/9).
 * (TA-Lib's MACD additionally re-seeds the fast EMA on the `fast` closes ending at index slow-1;
 * this class keeps both EMAs identical to standalone {@link Ema}s, as charting platforms and the
 * technicalindicators package do. The two agree to within rounding after a few dozen bars.)
 */
export class Macd {
  macd = Number.NaN;
  signal = Number.NaN;
  histogram = Number.NaN;
  private readonly fastEma: Ema;
  private readonly slowEma: Ema;
  private readonly signalEma: Ema;

  constructor(
    readonly fastPeriod = 12,
    readonly slowPeriod = 26,
    readonly signalPeriod = 9,
  ) {
    assertPeriod('MACD fast period', fastPeriod);
    assertPeriod('MACD slow period', slowPeriod);
    assertPeriod('MACD signal period', signalPeriod);
    if (fastPeriod >= slowPeriod) throw new RangeError(`MACD fast period ${fastPeriod} must be below slow period ${slowPeriod}`);
    this.fastEma = new Ema(fastPeriod);
    this.slowEma = new Ema(slowPeriod);
    this.signalEma = new Ema(signalPeriod);
  }

  get ready(): boolean {
    return this.signalEma.ready;
  }

  /** Feeds a close; read `macd`, `signal`, `histogram` (NaN while warming up) on the returned object. */
  update(close: number): this {
    const fast = this.fastEma.update(close);
    const slow = this.slowEma.update(close);
    if (this.slowEma.ready) {
      this.macd = fast - slow;
      this.signal = this.signalEma.update(this.macd);
      this.histogram = this.macd - this.signal;
    }
    return this;
  }
}

export interface MacdSeries {
  readonly macd: Float64Array;
  readonly signal: Float64Array;
  readonly histogram: Float64Array;
}

/** Batch {@link Macd}. */
export function macd(closes: ArrayLike<number>, fastPeriod = 12, slowPeriod = 26, signalPeriod = 9): MacdSeries {
  assertPeriod('MACD signal period', signalPeriod);
  if (fastPeriod >= slowPeriod) throw new RangeError(`MACD fast period ${fastPeriod} must be below slow period ${slowPeriod}`);
  const fast = ema(closes, fastPeriod);
  const slow = ema(closes, slowPeriod);
  const n = closes.length;
  const line = nanArray(n);
  for (let i = slowPeriod - 1; i < n; i++) line[i] = fast[i] - slow[i];
  const signal = nanArray(n);
  const histogram = nanArray(n);
  if (n >= slowPeriod - 1 + signalPeriod) {
    const signalOfLine = ema(line.subarray(slowPeriod - 1), signalPeriod);
    signal.set(signalOfLine, slowPeriod - 1);
    for (let i = slowPeriod + signalPeriod - 2; i < n; i++) histogram[i] = line[i] - signal[i];
  }
  return { macd: line, signal, histogram };
}
