import type Decimal from 'decimal.js';
import { FillDecimal, nonNegative, positive } from './fill-decimal';
import type { DecimalInput } from './fill-decimal';
import type { FillSide, SlippageSettings } from './fill-model.types';

const BPS = new FillDecimal(10_000);
const DEFAULT_MAX_IMPACT_BPS = 100;

/**
 * Total slippage in bps: `bps + min(impactBps * qty / candleVolume, maxImpactBps)`.
 * A zero-volume candle takes the capped impact (the worst the model allows).
 */
export function slippageBps(qty: DecimalInput, candleVolume: DecimalInput, settings: SlippageSettings = {}): Decimal {
  const base = nonNegative(settings.bps ?? 0, 'slippage bps');
  const impact = nonNegative(settings.impactBps ?? 0, 'impact bps');
  if (impact.isZero()) return base;
  const cap = nonNegative(settings.maxImpactBps ?? DEFAULT_MAX_IMPACT_BPS, 'max impact bps');
  const volume = nonNegative(candleVolume, 'candle volume');
  const size = nonNegative(qty, 'quantity');
  const extra = volume.isZero() ? cap : FillDecimal.min(impact.times(size).div(volume), cap);
  return base.plus(extra);
}

/** Buys pay more, sells receive less: `reference * (1 ± bps / 10000)`. */
export function applySlippage(reference: DecimalInput, side: FillSide, bps: DecimalInput): Decimal {
  const ref = positive(reference, 'reference price');
  const factor = nonNegative(bps, 'slippage bps').div(BPS);
  return side === 'buy' ? ref.times(factor.plus(1)) : ref.times(new FillDecimal(1).minus(factor));
}
