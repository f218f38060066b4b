export const PASSWORD_POLICY =
  'Password must be 12 to 128 characters long and contain at least one lowercase letter, one uppercase letter and one digit, and must not contain the email name';

/** Returns null when the password is acceptable, else the policy text (one clear message for every rule). */
export function passwordPolicyViolation(password: string, email?: string): string | null {
  const local = email?.split('@')[0]?.toLowerCase() ?? '';
  const ok =
    password.length >= 12 &&
    password.length <= 128 &&
    /[a-z]/.test(password) &&
    /[A-Z]/.test(password) &&
    /\d/.test(password) &&
    !(local.length >= 4 && password.toLowerCase().includes(local));
  return ok ? null : PASSWORD_POLICY;
}
