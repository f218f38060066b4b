import type { MarketInfo } from '@trading/exchange';
import { dec, MONEY_DP } from '../accounting/exact-decimal';

/** An adjustment refused before anything is written: the gateway's 4xx answer. */
export interface AdjustmentRefusal {
  readonly status: 400 | 409;
  readonly code: 'INVALID_QUANTITY' | 'ADJUSTMENT_NOT_REDUCING';
  readonly message: string;
}

/**
 * The quantity a live position may be set to: what the exchange account can hold of the pair, so a multiple of its
 * lot step (refused, never rounded: the operator says what the exchange holds) with at most the ledger's 8
 * decimals, and below the position's size (an adjustment only takes out what is gone; 0 closes the position).
 */
export function adjustmentRefusal(
  target: string,
  size: string,
  market: Pick<MarketInfo, 'symbol' | 'base' | 'amountStep'>,
): AdjustmentRefusal | null {
  const to = dec(target);
  if (to.decimalPlaces() > MONEY_DP)
    return { status: 400, code: 'INVALID_QUANTITY', message: `quantity ${target} has more than ${MONEY_DP} decimals` };
  const step = market.amountStep;
  if (step !== undefined && !dec(step).isZero() && !to.mod(step).isZero()) {
    return {
      status: 400,
      code: 'INVALID_QUANTITY',
      message: `quantity ${target} is not a multiple of the lot step ${step} of ${market.symbol}`,
    };
  }
  if (to.gte(size)) {
    return {
      status: 409,
      code: 'ADJUSTMENT_NOT_REDUCING',
      message: `quantity ${target} is not below the position's ${dec(size).toFixed()} ${market.base}: an adjustment only reduces a position (0 closes it)`,
    };
  }
  return null;
}
