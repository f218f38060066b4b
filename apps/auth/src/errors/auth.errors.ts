import { RpcDomainError } from '@trading/streams';

/** The auth service's answers to a refused request: HTTP status + stable code, carried back over RPC. */
export const AuthErrors = {
  invalidCredentials: () => new RpcDomainError(401, 'INVALID_CREDENTIALS', 'Invalid email or password'),
  totpRequired: () => new RpcDomainError(401, 'TOTP_REQUIRED', 'A two-factor code (totpCode) is required for this account'),
  accountLocked: (until: Date) => new RpcDomainError(423, 'ACCOUNT_LOCKED', `Account locked after too many failed logins; try again after ${until.toISOString()}`),
  accountDisabled: () => new RpcDomainError(403, 'ACCOUNT_DISABLED', 'Account disabled'),
  invalidRefreshToken: () => new RpcDomainError(401, 'INVALID_REFRESH_TOKEN', 'Refresh token invalid or expired'),
  refreshTokenReused: () => new RpcDomainError(401, 'REFRESH_TOKEN_REUSED', 'Refresh token already used: every session of this login was revoked'),
  weakPassword: (policy: string) => new RpcDomainError(400, 'WEAK_PASSWORD', policy),
  emailTaken: () => new RpcDomainError(409, 'EMAIL_TAKEN', 'An account with this email already exists'),
  invalidResetToken: () => new RpcDomainError(400, 'INVALID_RESET_TOKEN', 'Reset token invalid, used or expired'),
  wrongPassword: () => new RpcDomainError(400, 'WRONG_PASSWORD', 'Current password is wrong'),
  invalidTotpCode: () => new RpcDomainError(400, 'INVALID_TOTP_CODE', 'Two-factor code is wrong, expired or already used'),
  twoFactorAlreadyEnabled: () => new RpcDomainError(409, 'TWO_FACTOR_ALREADY_ENABLED', 'Two-factor authentication is already enabled'),
  twoFactorNotSetUp: () => new RpcDomainError(409, 'TWO_FACTOR_NOT_SET_UP', 'Start two-factor setup first'),
  twoFactorNotEnabled: () => new RpcDomainError(409, 'TWO_FACTOR_NOT_ENABLED', 'Two-factor authentication is not enabled'),
  userNotFound: () => new RpcDomainError(404, 'USER_NOT_FOUND', 'User not found'),
  apiKeyNotFound: () => new RpcDomainError(404, 'API_KEY_NOT_FOUND', 'API key not found'),
  apiKeyLabelTaken: () => new RpcDomainError(409, 'API_KEY_LABEL_TAKEN', 'You already have a key with this exchange, testnet flag and label'),
  apiKeyInactive: () => new RpcDomainError(409, 'API_KEY_INACTIVE', 'API key is deactivated'),
  adminOnly: () => new RpcDomainError(403, 'FORBIDDEN', 'Admin role required'),
  internalOnly: () => new RpcDomainError(403, 'FORBIDDEN', 'Internal callers only'),
  invalidCursor: () => new RpcDomainError(400, 'INVALID_CURSOR', 'cursor is not a value returned as `next`'),
  lastAdmin: () => new RpcDomainError(409, 'LAST_ADMIN', 'The last admin cannot lose the admin role'),
};

export function isUniqueViolation(error: unknown, constraint: string): boolean {
  const e = error as { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } };
  const code = e?.code ?? e?.driverError?.code;
  const name = e?.constraint ?? e?.driverError?.constraint;
  return code === '23505' && name === constraint;
}
