import type Decimal from 'decimal.js';
import { nonNegative } from './fill-decimal';
import type { FeeSchedule, FillLiquidity } from './fill-model.types';
import type { DecimalInput } from './fill-decimal';

/** fee = notional * rate(liquidity) + fixed, in quote currency. */
export function computeFee(notional: DecimalInput, liquidity: FillLiquidity, fees: FeeSchedule): Decimal {
  const rate = nonNegative(liquidity === 'maker' ? fees.maker : fees.taker, `${liquidity} fee`);
  const fixed = nonNegative(fees.fixed ?? 0, 'fixed fee');
  return nonNegative(notional, 'notional').times(rate).plus(fixed);
}
