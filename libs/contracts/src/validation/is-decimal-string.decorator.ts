import { registerDecorator, ValidationOptions } from 'class-validator';

export type DecimalSign = 'any' | 'positive' | 'nonNegative';

export interface DecimalStringOptions {
  /** `positive` for prices and order quantities, `nonNegative` for fees and volumes, `any` for P&L. */
  sign?: DecimalSign;
}

// Plain decimal notation only: no exponent, no leading '+', no thousands separators,
// so every consumer can hand the string to decimal.js (or NUMERIC) unchanged.
const DECIMAL = /^-?(0|[1-9]\d*)(\.\d+)?$/;
const MAX_LENGTH = 64;

export function isDecimalString(value: unknown, sign: DecimalSign = 'any'): value is string {
  if (typeof value !== 'string' || value.length > MAX_LENGTH || !DECIMAL.test(value)) return false;
  const negative = value.startsWith('-');
  const zero = /^-?0(\.0+)?$/.test(value);
  if (negative && zero) return false;
  if (sign === 'positive') return !negative && !zero;
  if (sign === 'nonNegative') return !negative;
  return true;
}

const describe: Record<DecimalSign, string> = {
  any: 'a decimal string',
  positive: 'a positive decimal string',
  nonNegative: 'a non-negative decimal string',
};

/** Money, prices and quantities travel as decimal strings, never as floats. */
export function IsDecimalString(options: DecimalStringOptions = {}, validationOptions?: ValidationOptions): PropertyDecorator {
  const sign = options.sign ?? 'any';
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isDecimalString',
      target: target.constructor,
      propertyName: propertyName as string,
      constraints: [sign],
      options: validationOptions,
      validator: {
        validate: (value: unknown) => isDecimalString(value, sign),
        defaultMessage: (args) => `${args?.property} must be ${describe[sign]} (e.g. "42.5")`,
      },
    });
  };
}
