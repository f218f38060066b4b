import Decimal from 'decimal.js';

/** A finite number or decimal string as a plain decimal string (no exponent). */
export function toDecimalString(value: number | string): string {
  const decimal = new Decimal(value);
  if (!decimal.isFinite()) throw new Error(`not a finite decimal: ${value}`);
  return decimal.toFixed();
}

export function optionalDecimalString(value: number | string | undefined | null): string | undefined {
  return value === undefined || value === null ? undefined : toDecimalString(value);
}
