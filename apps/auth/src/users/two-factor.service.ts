import { Injectable } from '@nestjs/common';
import type { AuthTwoFactorDisable, AuthTwoFactorEnable, AuthTwoFactorSetup, RpcCaller } from '@trading/contracts';
import { DataSource } from 'typeorm';
import { AuditRecorder } from '../audit/audit-recorder';
import { AuthErrors } from '../errors/auth.errors';
import { TwoFactorCodes } from './two-factor-codes';
import { UserEntity } from './user.entity';
import { UserRepository } from './user.repository';

/** TOTP enrollment: setup (secret shown once), enable with a valid code, disable with a valid code. */
@Injectable()
export class TwoFactorService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UserRepository,
    private readonly codes: TwoFactorCodes,
    private readonly audit: AuditRecorder,
  ) {}

  async setup(request: AuthTwoFactorSetup.Request): Promise<AuthTwoFactorSetup.Response> {
    const user = await this.user(request.caller);
    if (user.twoFactorEnabled) throw AuthErrors.twoFactorAlreadyEnabled();
    const secret = this.codes.newSecret();
    await this.users.update(user.id, { twoFactorSecret: this.codes.seal(user.id, secret) });
    return { secret, otpauthUrl: this.codes.otpauthUrl(user.email, secret) };
  }

  async enable(request: AuthTwoFactorEnable.Request): Promise<{ ok: true }> {
    const user = await this.user(request.caller);
    if (user.twoFactorEnabled) throw AuthErrors.twoFactorAlreadyEnabled();
    if (!user.twoFactorSecret) throw AuthErrors.twoFactorNotSetUp();
    if ((await this.codes.use(user, request.code)) !== 'accepted') throw AuthErrors.invalidTotpCode();
    await this.dataSource.transaction(async (m) => {
      await this.users.update(user.id, { twoFactorEnabled: true }, m);
      await this.audit.record(m, { actorUserId: user.id, action: 'auth.two_factor_enabled', resourceType: 'user', resourceId: user.id, outcome: 'success', origin: request.origin });
    });
    return { ok: true };
  }

  async disable(request: AuthTwoFactorDisable.Request): Promise<{ ok: true }> {
    const user = await this.user(request.caller);
    if (!user.twoFactorEnabled) throw AuthErrors.twoFactorNotEnabled();
    if ((await this.codes.use(user, request.code)) !== 'accepted') throw AuthErrors.invalidTotpCode();
    await this.dataSource.transaction(async (m) => {
      await this.users.update(user.id, { twoFactorEnabled: false, twoFactorSecret: null }, m);
      await this.audit.record(m, { actorUserId: user.id, action: 'auth.two_factor_disabled', resourceType: 'user', resourceId: user.id, outcome: 'success', origin: request.origin });
    });
    return { ok: true };
  }

  private async user(caller: RpcCaller): Promise<UserEntity> {
    const user = await this.users.findById(caller.userId);
    if (!user) throw AuthErrors.userNotFound();
    return user;
  }
}
