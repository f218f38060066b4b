import Decimal from 'decimal.js';

/**
 * decimal.js set up for bookkeeping: 60 significant digits, so the product of two 20-digit amounts
 * (quantity x price) and every sum of them stay exact. The one division the ledger makes (cost basis
 * of a partial close) is rounded explicitly to MONEY_DP.
 */
export const ExactDecimal = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_EVEN, toExpNeg: -60, toExpPos: 60 });
export type ExactDecimal = InstanceType<typeof ExactDecimal>;

/** Decimals of every amount the database shows (NUMERIC(20,8)); also the rounding unit of cost-basis splits. */
export const MONEY_DP = 8;

export const dec = (value: Decimal.Value): ExactDecimal => new ExactDecimal(value);

/** Half-even rounding to the smallest stored unit (1e-8). */
export const toMoney = (value: Decimal.Value): string => dec(value).toDecimalPlaces(MONEY_DP, Decimal.ROUND_HALF_EVEN).toFixed(MONEY_DP);

/** Rounds down to a multiple of `step` (the pair's lot step). */
export function floorToStep(value: Decimal.Value, step: Decimal.Value | undefined): ExactDecimal {
  const v = dec(value);
  if (step === undefined || dec(step).isZero()) return v;
  return v.div(step).floor().times(step);
}
