import Decimal from 'decimal.js';

/**
 * Decimal constructor used by the fill model: 40 significant digits so that products of
 * prices and quantities with 8+ decimals never round. A clone, so the global decimal.js
 * settings of other code are left untouched; its instances are ordinary `Decimal`s.
 */
export const FillDecimal = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN });

export type DecimalInput = Decimal.Value;

export function toFillDecimal(value: DecimalInput, name: string): Decimal {
  // Instances of other Decimal constructors are copied so that arithmetic runs at our precision.
  const d = typeof value === 'object' && value.constructor === FillDecimal ? value : new FillDecimal(value);
  if (!d.isFinite()) throw new Error(`fill model: ${name} must be a finite number, got ${String(value)}`);
  return d;
}

export function nonNegative(value: DecimalInput, name: string): Decimal {
  const d = toFillDecimal(value, name);
  if (d.isNegative()) throw new Error(`fill model: ${name} must not be negative, got ${d.toString()}`);
  return d;
}

export function positive(value: DecimalInput, name: string): Decimal {
  const d = toFillDecimal(value, name);
  if (!d.isPositive() || d.isZero()) throw new Error(`fill model: ${name} must be positive, got ${d.toString()}`);
  return d;
}
