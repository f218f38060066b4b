import { assertPeriod, nanArray } from './period';
import { RollingExtreme } from './rolling-extreme';
import { Sma, sma } from './sma.indicator';

/**
 * Stochastic oscillator (TA-Lib STOCH with SMA smoothing):
 * fast %K = 100 * (close - lowest low) / (highest high - lowest low) over `kPeriod` bars
 * (0 when the range is empty); slow %K = SMA(`slowKPeriod`) of fast %K; %D = SMA(`dPeriod`)
 * of slow %K. `k` is slow %K (equal to fast %K when slowKPeriod = 1, the "fast stochastic");
 * first `k` at index kPeriod+slowKPeriod-2, first `d` at kPeriod+slowKPeriod+dPeriod-3.
 */
export class Stochastic {
  k = Number.NaN;
  d = Number.NaN;
  fastK = Number.NaN;
  private readonly highest: RollingExtreme;
  private readonly lowest: RollingExtreme;
  private readonly slowK: Sma;
  private readonly signal: Sma;
  private count = 0;

  constructor(
    readonly kPeriod = 14,
    readonly slowKPeriod = 3,
    readonly dPeriod = 3,
  ) {
    assertPeriod('stochastic %K period', kPeriod);
    assertPeriod('stochastic slow %K period', slowKPeriod);
    assertPeriod('stochastic %D period', dPeriod);
    this.highest = new RollingExtreme(kPeriod, 'max');
    this.lowest = new RollingExtreme(kPeriod, 'min');
    this.slowK = new Sma(slowKPeriod);
    this.signal = new Sma(dPeriod);
  }

  get ready(): boolean {
    return this.signal.ready;
  }

  update(high: number, low: number, close: number): this {
    const hh = this.highest.update(high);
    const ll = this.lowest.update(low);
    if (++this.count < this.kPeriod) return this;
    this.fastK = hh > ll ? (100 * (close - ll)) / (hh - ll) : 0;
    this.k = this.slowK.update(this.fastK);
    if (this.slowK.ready) this.d = this.signal.update(this.k);
    return this;
  }
}

export interface StochasticSeries {
  readonly k: Float64Array;
  readonly d: Float64Array;
}

/** Batch {@link Stochastic} (a plain window scan per bar: O(kPeriod) each, simple to audit). */
export function stochastic(
  high: ArrayLike<number>,
  low: ArrayLike<number>,
  close: ArrayLike<number>,
  kPeriod = 14,
  slowKPeriod = 3,
  dPeriod = 3,
): StochasticSeries {
  assertPeriod('stochastic %K period', kPeriod);
  const n = close.length;
  const fastK = new Float64Array(Math.max(0, n - kPeriod + 1));
  for (let i = kPeriod - 1; i < n; i++) {
    let hh = -Infinity;
    let ll = Infinity;
    for (let j = i - kPeriod + 1; j <= i; j++) {
      if (high[j] > hh) hh = high[j];
      if (low[j] < ll) ll = low[j];
    }
    fastK[i - kPeriod + 1] = hh > ll ? (100 * (close[i] - ll)) / (hh - ll) : 0;
  }
  const slowK = sma(fastK, slowKPeriod);
  const d = sma(slowK.subarray(slowKPeriod - 1), dPeriod);
  const kOut = nanArray(n);
  const dOut = nanArray(n);
  if (slowK.length > 0) kOut.set(slowK, kPeriod - 1);
  if (d.length > 0) dOut.set(d, kPeriod + slowKPeriod - 2);
  return { k: kOut, d: dOut };
}
