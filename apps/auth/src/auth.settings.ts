import type { AuthEnv } from './config/auth.env';

/** The auth service's tunables, read once from the validated environment. */
export class AuthSettings {
  readonly maxFailedLogins: number;
  readonly lockoutSeconds: number;
  readonly refreshTtlSeconds: number;
  readonly passwordResetTtlSeconds: number;
  readonly accessTtlSeconds: number;

  constructor(env: AuthEnv) {
    this.maxFailedLogins = env.LOGIN_MAX_FAILED_ATTEMPTS;
    this.lockoutSeconds = env.LOGIN_LOCKOUT_SECONDS;
    this.refreshTtlSeconds = env.REFRESH_TOKEN_TTL_SECONDS;
    this.passwordResetTtlSeconds = env.PASSWORD_RESET_TTL_SECONDS;
    this.accessTtlSeconds = env.JWT_ACCESS_TTL_SECONDS;
  }
}
