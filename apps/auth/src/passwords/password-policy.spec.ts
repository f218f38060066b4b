import { PASSWORD_POLICY, passwordPolicyViolation } from './password-policy';

describe('password policy', () => {
  it.each([
    ['short', 'Sh0rtPass'],
    ['no uppercase', 'alllowercase123'],
    ['no lowercase', 'ALLUPPERCASE123'],
    ['no digit', 'NoDigitsAtAllHere'],
    ['too long', `Aa1${'x'.repeat(126)}`],
  ])('refuses a password with %s, naming the rules', (_, password) => {
    expect(passwordPolicyViolation(password)).toBe(PASSWORD_POLICY);
  });

  it('refuses a password containing the email name', () => {
    expect(passwordPolicyViolation('Satoshi-Nakamoto-2024', 'satoshi-nakamoto@example.com')).toBe(PASSWORD_POLICY);
  });

  it('accepts a long mixed password', () => {
    expect(passwordPolicyViolation('Correct-Horse-Battery-9', 'alice@example.com')).toBeNull();
  });
});
