import { FillDecimal, nonNegative, positive, toFillDecimal } from './fill-decimal';
import type { DecimalInput } from './fill-decimal';
import { computeFee } from './fees';
import type { FeeSchedule, FillCandle, FillLiquidity, FillSide, LimitFill } from './fill-model.types';
import { floorToStep } from './market-fill';

export interface LimitOrderInput {
  readonly side: FillSide;
  /** Quantity still open. */
  readonly qty: DecimalInput;
  readonly limit: DecimalInput;
  readonly candle: FillCandle;
  /** Fraction of the candle's volume this order may take (0.1 = 10 %); no cap when omitted. */
  readonly participation?: DecimalInput;
  /** Filled quantities are rounded down to this step (whole lots). */
  readonly lotStep?: DecimalInput;
  /** `maker` (default) for an order resting in the book before the candle. */
  readonly liquidity?: FillLiquidity;
  readonly fees: FeeSchedule;
}

/**
 * A limit order against one candle: a buy fills when `low <= limit`, a sell when
 * `high >= limit`, at the limit, or at the open when the candle opens through it (a better
 * price). With a participation cap it fills at most `participation * volume`; the rest stays open.
 * Returns null when nothing fills.
 */
export function fillLimitOrder(input: LimitOrderInput): LimitFill | null {
  const qty = positive(input.qty, 'quantity');
  const limit = positive(input.limit, 'limit price');
  const open = positive(input.candle.open, 'open');
  const crossed =
    input.side === 'buy'
      ? toFillDecimal(input.candle.low, 'low').lte(limit)
      : toFillDecimal(input.candle.high, 'high').gte(limit);
  if (!crossed) return null;
  const price = input.side === 'buy' ? FillDecimal.min(open, limit) : FillDecimal.max(open, limit);

  let filled = qty;
  if (input.participation !== undefined) {
    const cap = nonNegative(input.participation, 'participation').times(nonNegative(input.candle.volume, 'candle volume'));
    filled = FillDecimal.min(qty, cap);
  }
  if (input.lotStep !== undefined) filled = floorToStep(filled, input.lotStep);
  if (filled.lte(0)) return null;

  const liquidity = input.liquidity ?? 'maker';
  const notional = price.times(filled);
  return {
    side: input.side,
    price,
    qty: filled,
    notional,
    fee: computeFee(notional, liquidity, input.fees),
    liquidity,
    remaining: qty.minus(filled),
  };
}
