import { Injectable } from '@nestjs/common';
import type { AuthChangePassword, AuthRegister, AuthUsersCreate, AuthUsersGet, AuthUsersList, AuthUsersSetRole, AuthUserView, RpcCaller } from '@trading/contracts';
import { DataSource } from 'typeorm';
import { AuditRecorder } from '../audit/audit-recorder';
import { AuthErrors, isUniqueViolation } from '../errors/auth.errors';
import { InternalCallerCheck } from '../internal/internal-caller.guard';
import { PasswordHasher } from '../passwords/password-hasher';
import { passwordPolicyViolation } from '../passwords/password-policy';
import { UserSessionRepository } from '../sessions/user-session.repository';
import { SessionRevocations } from '../tokens/session-revocations';
import { UserRole } from './user.entity';
import { UserRepository } from './user.repository';
import { toUserView } from './user-view';

/** Accounts: register, me, change password; operator creation; admin listing and roles. */
@Injectable()
export class AccountService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UserRepository,
    private readonly sessions: UserSessionRepository,
    private readonly hasher: PasswordHasher,
    private readonly revocations: SessionRevocations,
    private readonly audit: AuditRecorder,
    private readonly internal: InternalCallerCheck,
  ) {}

  register(request: AuthRegister.Request): Promise<AuthUserView> {
    return this.createUser(request.email, request.password, 'trader', null, 'user.registered', request.origin);
  }

  createByOperator(request: AuthUsersCreate.Request): Promise<AuthUserView> {
    this.internal.assert(request.internalToken);
    return this.createUser(request.email, request.password, request.role, null, 'user.created', null);
  }

  async me(caller: RpcCaller): Promise<AuthUserView> {
    const user = await this.users.findById(caller.userId);
    if (!user) throw AuthErrors.userNotFound();
    return toUserView(user);
  }

  async changePassword(request: AuthChangePassword.Request): Promise<{ ok: true }> {
    const user = await this.users.findById(request.caller.userId);
    if (!user) throw AuthErrors.userNotFound();
    if (!(await this.hasher.verify(user.passwordHash, request.currentPassword))) throw AuthErrors.wrongPassword();
    const violation = passwordPolicyViolation(request.newPassword, user.email);
    if (violation) throw AuthErrors.weakPassword(violation);
    const passwordHash = await this.hasher.hash(request.newPassword);
    const now = new Date();
    await this.dataSource.transaction(async (m) => {
      await this.users.update(user.id, { passwordHash }, m);
      await this.sessions.revokeAllForUser(user.id, now, m);
      await this.audit.record(m, { actorUserId: user.id, action: 'auth.password_changed', resourceType: 'user', resourceId: user.id, outcome: 'success', origin: request.origin });
    });
    await this.revocations.revokeSessions(await this.sessions.idsCreatedSince({ userId: user.id }, this.revocations.liveTokensSince(now)));
    return { ok: true };
  }

  async list(request: AuthUsersList.Request): Promise<AuthUsersList.Response> {
    if (request.caller.role !== 'admin') throw AuthErrors.adminOnly();
    const page = await this.users.list({ limit: request.limit ?? 50, after: decodeCursor(request.cursor) });
    return { items: page.items.map(toUserView), next: page.next ? encodeCursor(page.next) : null };
  }

  async get(request: AuthUsersGet.Request): Promise<AuthUserView> {
    if (request.caller.role !== 'admin' && request.caller.userId !== request.userId) throw AuthErrors.userNotFound();
    const user = await this.users.findById(request.userId);
    if (!user) throw AuthErrors.userNotFound();
    return toUserView(user);
  }

  async setRole(request: AuthUsersSetRole.Request): Promise<AuthUserView> {
    if (request.caller.role !== 'admin') throw AuthErrors.adminOnly();
    const user = await this.users.findById(request.userId);
    if (!user) throw AuthErrors.userNotFound();
    if (user.role === request.role) return toUserView(user);
    if (user.role === 'admin') {
      const admins: Array<{ n: string }> = await this.dataSource.query(`SELECT count(*)::text AS n FROM auth.users WHERE role = 'admin' AND is_active`);
      if (Number(admins[0]?.n ?? 0) <= 1) throw AuthErrors.lastAdmin();
    }
    const now = new Date();
    await this.dataSource.transaction(async (m) => {
      await this.users.update(user.id, { role: request.role }, m);
      await this.audit.record(m, {
        actorUserId: request.caller.userId,
        action: 'user.role_changed',
        resourceType: 'user',
        resourceId: user.id,
        outcome: 'success',
        origin: request.origin,
        details: { from: user.role, to: request.role },
      });
    });
    // Access tokens carry the role: end the live ones so the new role applies at once (a refresh gets it).
    await this.revocations.revokeSessions(await this.sessions.idsCreatedSince({ userId: user.id }, this.revocations.liveTokensSince(now)));
    return toUserView({ ...user, role: request.role });
  }

  private async createUser(
    email: string,
    password: string,
    role: UserRole,
    actorUserId: string | null,
    action: string,
    origin: AuthRegister.Request['origin'] | null,
  ): Promise<AuthUserView> {
    const violation = passwordPolicyViolation(password, email);
    if (violation) throw AuthErrors.weakPassword(violation);
    const passwordHash = await this.hasher.hash(password);
    try {
      const user = await this.dataSource.transaction(async (m) => {
        const created = await this.users.create({ email, passwordHash, role }, m);
        await this.audit.record(m, { actorUserId: actorUserId ?? created.id, action, resourceType: 'user', resourceId: created.id, outcome: 'success', origin, details: { role } });
        return created;
      });
      return toUserView(user);
    } catch (error) {
      if (isUniqueViolation(error, 'uq_users_email')) throw AuthErrors.emailTaken();
      throw error;
    }
  }
}

function encodeCursor(cursor: { time: Date; id: string }): string {
  return Buffer.from(JSON.stringify({ t: cursor.time.toISOString(), id: cursor.id })).toString('base64url');
}

function decodeCursor(cursor: string | undefined): { time: Date; id: string } | undefined {
  if (!cursor) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { t?: unknown; id?: unknown };
    const time = new Date(String(parsed.t));
    if (typeof parsed.id !== 'string' || !/^[0-9a-f-]{36}$/i.test(parsed.id) || Number.isNaN(time.getTime())) throw new Error('bad cursor');
    return { time, id: parsed.id };
  } catch {
    throw AuthErrors.invalidCursor();
  }
}
