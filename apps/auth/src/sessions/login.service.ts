import { Injectable } from '@nestjs/common';
import type { AuthLogin, AuthLogout, AuthRefresh, AuthTokens, RequestOrigin } from '@trading/contracts';
import { DataSource } from 'typeorm';
import { AuditRecorder } from '../audit/audit-recorder';
import { AuthSettings } from '../auth.settings';
import { AuthErrors } from '../errors/auth.errors';
import { PasswordHasher } from '../passwords/password-hasher';
import { AccessTokenIssuer } from '../tokens/access-token.issuer';
import { newOpaqueToken, sha256Hex } from '../tokens/opaque-tokens';
import { SessionRevocations } from '../tokens/session-revocations';
import { TwoFactorCodes } from '../users/two-factor-codes';
import { UserEntity } from '../users/user.entity';
import { UserRepository } from '../users/user.repository';
import { toUserView } from '../users/user-view';
import { UserSessionRepository } from './user-session.repository';

/** Login (password, TOTP, lockout), refresh-token rotation with reuse detection, logout. */
@Injectable()
export class LoginService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UserRepository,
    private readonly sessions: UserSessionRepository,
    private readonly hasher: PasswordHasher,
    private readonly tokens: AccessTokenIssuer,
    private readonly revocations: SessionRevocations,
    private readonly twoFactor: TwoFactorCodes,
    private readonly audit: AuditRecorder,
    private readonly settings: AuthSettings,
  ) {}

  async login(request: AuthLogin.Request): Promise<AuthTokens> {
    const now = new Date();
    let user = await this.users.findByEmail(request.email);
    if (!user) {
      await this.hasher.verify(null, request.password);
      await this.dataSource.transaction((m) =>
        this.audit.record(m, { actorUserId: null, action: 'auth.login_failed', resourceType: 'user', resourceId: null, outcome: 'failure', origin: request.origin, details: { reason: 'unknown_email' } }),
      );
      throw AuthErrors.invalidCredentials();
    }
    if (user.lockedUntil && user.lockedUntil > now) {
      const locked = user;
      await this.dataSource.transaction((m) =>
        this.audit.record(m, { actorUserId: locked.id, action: 'auth.login_failed', resourceType: 'user', resourceId: locked.id, outcome: 'failure', origin: request.origin, details: { reason: 'locked' } }),
      );
      throw AuthErrors.accountLocked(user.lockedUntil);
    }
    if (user.lockedUntil) {
      await this.users.clearExpiredLock(user.id, now);
      user = { ...user, failedLoginAttempts: 0, lockedUntil: null };
    }
    const passwordOk = await this.hasher.verify(user.passwordHash, request.password);
    if (!passwordOk) return this.failLogin(user, request.origin, 'wrong_password', now);
    if (user.twoFactorEnabled) {
      if (!request.totpCode) throw AuthErrors.totpRequired();
      const code = await this.twoFactor.use(user, request.totpCode);
      if (code !== 'accepted') return this.failLogin(user, request.origin, code === 'reused' ? 'reused_totp_code' : 'wrong_totp_code', now);
    }
    if (!user.isActive) throw AuthErrors.accountDisabled();
    return this.openSession(user, request.origin, now);
  }

  async refresh(request: AuthRefresh.Request): Promise<AuthTokens> {
    const now = new Date();
    const current = await this.sessions.findByTokenHash(sha256Hex(request.refreshToken));
    if (!current) throw AuthErrors.invalidRefreshToken();
    if (current.revokedAt) return this.reuseDetected(current.familyId, current.userId, request.origin, now);
    if (current.expiresAt <= now) throw AuthErrors.invalidRefreshToken();
    const user = await this.users.findById(current.userId);
    if (!user || !user.isActive) throw AuthErrors.invalidRefreshToken();
    const refreshToken = newOpaqueToken();
    const next = await this.sessions.rotate(
      current.id,
      { tokenHash: sha256Hex(refreshToken), expiresAt: this.refreshExpiry(now), ipAddress: request.origin.ip, userAgent: request.origin.userAgent },
      now,
    );
    if (!next) return this.reuseDetected(current.familyId, current.userId, request.origin, now);
    return this.tokensFor(user, next.id, refreshToken, next.expiresAt);
  }

  /** Ends the login of the caller's access token: its whole refresh-token family and every live access token of it. */
  async logout(request: AuthLogout.Request): Promise<{ ok: true }> {
    const now = new Date();
    const session = await this.sessions.findById(request.sessionId);
    if (!session || session.userId !== request.caller.userId) return { ok: true };
    await this.dataSource.transaction(async (m) => {
      await this.sessions.revokeFamily(session.familyId, now, m);
      await this.audit.record(m, { actorUserId: request.caller.userId, action: 'auth.logout', resourceType: 'session', resourceId: session.familyId, outcome: 'success', origin: request.origin });
    });
    await this.revocations.revokeSessions(await this.sessions.idsCreatedSince({ familyId: session.familyId }, this.revocations.liveTokensSince(now)));
    return { ok: true };
  }

  private async failLogin(user: UserEntity, origin: RequestOrigin, reason: string, now: Date): Promise<never> {
    const lockUntil = new Date(now.getTime() + this.settings.lockoutSeconds * 1000);
    const max = this.settings.maxFailedLogins;
    const outcome = await this.dataSource.transaction(async (m) => {
      const result = await this.users.recordFailedLogin(user.id, max, lockUntil, m);
      const lockedNow = result.attempts === max;
      await this.audit.record(m, [
        { actorUserId: user.id, action: 'auth.login_failed', resourceType: 'user', resourceId: user.id, outcome: 'failure', origin, details: { reason, attempts: result.attempts } },
        ...(lockedNow
          ? [{ actorUserId: user.id, action: 'auth.account_locked', resourceType: 'user', resourceId: user.id, outcome: 'success' as const, origin, details: { until: lockUntil.toISOString(), attempts: result.attempts } }]
          : []),
      ]);
      return result;
    });
    if (outcome.lockedUntil && outcome.attempts >= max) throw AuthErrors.accountLocked(outcome.lockedUntil);
    throw AuthErrors.invalidCredentials();
  }

  private async openSession(user: UserEntity, origin: RequestOrigin, now: Date): Promise<AuthTokens> {
    const refreshToken = newOpaqueToken();
    const session = await this.dataSource.transaction(async (m) => {
      const created = await this.sessions.create(
        { userId: user.id, tokenHash: sha256Hex(refreshToken), expiresAt: this.refreshExpiry(now), ipAddress: origin.ip, userAgent: origin.userAgent },
        m,
      );
      await this.users.recordSuccessfulLogin(user.id, now, m);
      await this.audit.record(m, { actorUserId: user.id, action: 'auth.login', resourceType: 'session', resourceId: created.familyId, outcome: 'success', origin, details: { twoFactor: user.twoFactorEnabled } });
      return created;
    });
    return this.tokensFor({ ...user, lastLoginAt: now }, session.id, refreshToken, session.expiresAt);
  }

  private async reuseDetected(familyId: string, userId: string, origin: RequestOrigin, now: Date): Promise<never> {
    await this.dataSource.transaction(async (m) => {
      const revoked = await this.sessions.revokeFamily(familyId, now, m);
      await this.audit.record(m, { actorUserId: userId, action: 'auth.refresh_token_reused', resourceType: 'session', resourceId: familyId, outcome: 'failure', origin, details: { revokedCount: revoked } });
    });
    await this.revocations.revokeSessions(await this.sessions.idsCreatedSince({ familyId }, this.revocations.liveTokensSince(now)));
    throw AuthErrors.refreshTokenReused();
  }

  private tokensFor(user: UserEntity, sid: string, refreshToken: string, refreshExpiresAt: Date): AuthTokens {
    return {
      tokenType: 'Bearer',
      accessToken: this.tokens.issue(user, sid),
      expiresIn: this.tokens.ttlSeconds,
      refreshToken,
      refreshExpiresAt: refreshExpiresAt.toISOString(),
      user: toUserView(user),
    };
  }

  private refreshExpiry(now: Date): Date {
    return new Date(now.getTime() + this.settings.refreshTtlSeconds * 1000);
  }
}
