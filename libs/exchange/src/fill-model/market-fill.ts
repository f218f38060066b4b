import type Decimal from 'decimal.js';
import { positive, toFillDecimal } from './fill-decimal';
import type { DecimalInput } from './fill-decimal';
import { computeFee } from './fees';
import type { FeeSchedule, FillCandle, FillSide, ModelFill, SlippageSettings } from './fill-model.types';
import { applySlippage, slippageBps } from './slippage';

export interface MarketFillAtPriceInput {
  readonly side: FillSide;
  readonly qty: DecimalInput;
  /** Price before slippage (next candle's open, the deciding candle's close, a ticker...). */
  readonly referencePrice: DecimalInput;
  /** Base volume the order competes with; only used by the impact part of the slippage. */
  readonly candleVolume?: DecimalInput;
  readonly slippage?: SlippageSettings;
  readonly fees: FeeSchedule;
}

/** A market order (taker) at a reference price moved against the order by the slippage. */
export function fillMarketAtPrice(input: MarketFillAtPriceInput): ModelFill {
  const qty = positive(input.qty, 'quantity');
  const bps = slippageBps(qty, input.candleVolume ?? 0, input.slippage);
  const price = applySlippage(input.referencePrice, input.side, bps);
  const notional = price.times(qty);
  return { side: input.side, price, qty, notional, fee: computeFee(notional, 'taker', input.fees), liquidity: 'taker' };
}

export interface MarketOrderInput {
  readonly side: FillSide;
  readonly qty: DecimalInput;
  readonly candle: FillCandle;
  /** `open` (default): the order was decided on the previous candle and fills at this one's open. `close`: at this candle's close. */
  readonly reference?: 'open' | 'close';
  readonly slippage?: SlippageSettings;
  readonly fees: FeeSchedule;
}

export function fillMarketOrder(input: MarketOrderInput): ModelFill {
  const referencePrice = (input.reference ?? 'open') === 'open' ? input.candle.open : input.candle.close;
  return fillMarketAtPrice({ ...input, referencePrice, candleVolume: input.candle.volume });
}

/** Largest multiple of `step` not above `qty` (quantities are never rounded up). */
export function floorToStep(qty: DecimalInput, step: DecimalInput): Decimal {
  const s = positive(step, 'lot step');
  return toFillDecimal(qty, 'quantity').div(s).floor().times(s);
}

