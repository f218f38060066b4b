import type Decimal from 'decimal.js';
import type { DecimalInput } from './fill-decimal';

export type FillSide = 'buy' | 'sell';
export type FillLiquidity = 'maker' | 'taker';

/** The candle an order is matched against; prices and volume as exact decimals. */
export interface FillCandle {
  readonly open: DecimalInput;
  readonly high: DecimalInput;
  readonly low: DecimalInput;
  readonly close: DecimalInput;
  /** Base-currency volume traded in the candle. */
  readonly volume: DecimalInput;
}

/** Fees as fractions of notional (0.001 = 0.1 %), plus an optional fixed fee per fill, all in quote. */
export interface FeeSchedule {
  readonly maker: DecimalInput;
  readonly taker: DecimalInput;
  readonly fixed?: DecimalInput;
}

/**
 * Slippage of market and stop fills, in basis points of the reference price:
 * `bps + min(impactBps * qty / candleVolume, maxImpactBps)`.
 */
export interface SlippageSettings {
  readonly bps?: DecimalInput;
  readonly impactBps?: DecimalInput;
  /** Cap of the volume-dependent part; default 100 bps. Also used when the candle volume is 0. */
  readonly maxImpactBps?: DecimalInput;
}

export interface ModelFill {
  readonly side: FillSide;
  readonly price: Decimal;
  readonly qty: Decimal;
  readonly notional: Decimal;
  readonly fee: Decimal;
  readonly liquidity: FillLiquidity;
}

export interface LimitFill extends ModelFill {
  /** Quantity still open after this candle (0 when fully filled). */
  readonly remaining: Decimal;
}
