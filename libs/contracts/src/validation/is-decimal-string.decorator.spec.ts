import { isDecimalString } from './is-decimal-string.decorator';

describe('isDecimalString', () => {
  it.each(['0', '1', '42.5', '0.00000001', '-3.25', '123456789012345678901234567890.123456789'])('accepts %s as any', (v) => {
    expect(isDecimalString(v)).toBe(true);
  });

  it.each(['', '1e5', '+1', '01', '1.', '.5', ' 1', '1,5', 'NaN', 'Infinity', '-0', '-0.0', '1'.repeat(65)])('refuses %j', (v) => {
    expect(isDecimalString(v)).toBe(false);
  });

  it('refuses numbers: floats never carry money', () => {
    expect(isDecimalString(42.5)).toBe(false);
  });

  it('positive refuses zero and negatives', () => {
    expect(isDecimalString('0.0001', 'positive')).toBe(true);
    expect(isDecimalString('0', 'positive')).toBe(false);
    expect(isDecimalString('0.000', 'positive')).toBe(false);
    expect(isDecimalString('-1', 'positive')).toBe(false);
  });

  it('nonNegative accepts zero, refuses negatives', () => {
    expect(isDecimalString('0', 'nonNegative')).toBe(true);
    expect(isDecimalString('-0.1', 'nonNegative')).toBe(false);
  });
});
