import { Injectable } from '@nestjs/common';
import type { AuthPasswordResetConfirm, AuthPasswordResetRequest } from '@trading/contracts';
import { DataSource } from 'typeorm';
import { AuditRecorder } from '../audit/audit-recorder';
import { AuthSettings } from '../auth.settings';
import { AuthErrors } from '../errors/auth.errors';
import { InternalCallerCheck } from '../internal/internal-caller.guard';
import { PasswordHasher } from '../passwords/password-hasher';
import { passwordPolicyViolation } from '../passwords/password-policy';
import { UserSessionRepository } from '../sessions/user-session.repository';
import { newOpaqueToken, sha256Hex } from '../tokens/opaque-tokens';
import { SessionRevocations } from '../tokens/session-revocations';
import { PasswordResetTokenRepository } from './password-reset-token.repository';
import { UserRepository } from './user.repository';

/**
 * Password reset with a single-use, expiring token stored as its SHA-256. No mail exists yet: the
 * token is only ever returned to an internal caller (`tradectl user reset-token`), and an HTTP caller
 * gets the same answer whether the email exists or not.
 */
@Injectable()
export class PasswordResetService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UserRepository,
    private readonly resetTokens: PasswordResetTokenRepository,
    private readonly sessions: UserSessionRepository,
    private readonly hasher: PasswordHasher,
    private readonly revocations: SessionRevocations,
    private readonly audit: AuditRecorder,
    private readonly internal: InternalCallerCheck,
    private readonly settings: AuthSettings,
  ) {}

  async request(request: AuthPasswordResetRequest.Request): Promise<AuthPasswordResetRequest.Response> {
    const internal = request.internalToken !== undefined;
    if (internal) this.internal.assert(request.internalToken);
    const user = await this.users.findByEmail(request.email);
    if (!user) {
      if (internal) throw AuthErrors.userNotFound();
      return { accepted: true };
    }
    const token = newOpaqueToken();
    const expiresAt = new Date(Date.now() + this.settings.passwordResetTtlSeconds * 1000);
    await this.dataSource.transaction(async (m) => {
      await this.resetTokens.create({ userId: user.id, tokenHash: sha256Hex(token), expiresAt, requestedIp: request.origin.ip }, m);
      await this.audit.record(m, { actorUserId: user.id, action: 'auth.password_reset_requested', resourceType: 'user', resourceId: user.id, outcome: 'success', origin: request.origin, details: { byOperator: internal } });
    });
    return internal ? { accepted: true, resetToken: token, expiresAt: expiresAt.toISOString() } : { accepted: true };
  }

  async confirm(request: AuthPasswordResetConfirm.Request): Promise<{ ok: true }> {
    const tokenHash = sha256Hex(request.token);
    const pending = await this.resetTokens.findByTokenHash(tokenHash);
    const user = pending ? await this.users.findById(pending.userId) : null;
    if (!user) throw AuthErrors.invalidResetToken();
    const violation = passwordPolicyViolation(request.newPassword, user.email);
    if (violation) throw AuthErrors.weakPassword(violation);
    const passwordHash = await this.hasher.hash(request.newPassword);
    const now = new Date();
    const userId = await this.resetTokens.consume(tokenHash, now);
    if (!userId) throw AuthErrors.invalidResetToken();
    await this.dataSource.transaction(async (m) => {
      await this.users.update(userId, { passwordHash, failedLoginAttempts: 0, lockedUntil: null }, m);
      await this.sessions.revokeAllForUser(userId, now, m);
      await this.audit.record(m, { actorUserId: userId, action: 'auth.password_reset', resourceType: 'user', resourceId: userId, outcome: 'success', origin: request.origin });
    });
    await this.revocations.revokeSessions(await this.sessions.idsCreatedSince({ userId }, this.revocations.liveTokensSince(now)));
    return { ok: true };
  }
}
