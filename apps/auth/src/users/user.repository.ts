import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { v7 } from 'uuid';
import { returningRows } from '../database/returning-rows';
import { Page, TimeIdCursor, clampLimit, toPage } from '@trading/database';
import { UserEntity, UserRole } from './user.entity';

export interface NewUser {
  email: string;
  passwordHash: string;
  username?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  role?: UserRole;
  timezone?: string;
}

@Injectable()
export class UserRepository {
  constructor(private readonly dataSource: DataSource) {}

  private repo(manager?: EntityManager): Repository<UserEntity> {
    return (manager ?? this.dataSource.manager).getRepository(UserEntity);
  }

  async create(input: NewUser, manager?: EntityManager): Promise<UserEntity> {
    const repo = this.repo(manager);
    const user = repo.create({
      id: v7(),
      email: input.email.trim().toLowerCase(),
      passwordHash: input.passwordHash,
      username: input.username ?? null,
      firstName: input.firstName ?? null,
      lastName: input.lastName ?? null,
      role: input.role ?? 'trader',
      ...(input.timezone ? { timezone: input.timezone } : {}),
    });
    await repo.insert(user);
    return repo.findOneByOrFail({ id: user.id });
  }

  findById(id: string): Promise<UserEntity | null> {
    return this.repo().findOneBy({ id });
  }

  findByEmail(email: string): Promise<UserEntity | null> {
    return this.repo().findOneBy({ email: email.trim().toLowerCase() });
  }

  findByUsername(username: string): Promise<UserEntity | null> {
    return this.repo().findOneBy({ username });
  }

  /** Counts a failed login atomically; locks the account until `lockUntil` once `maxAttempts` is reached. */
  async recordFailedLogin(id: string, maxAttempts: number, lockUntil: Date, manager?: EntityManager): Promise<{ attempts: number; lockedUntil: Date | null }> {
    const rows = returningRows<{ failed_login_attempts: number; locked_until: Date | null }>(await (manager ?? this.dataSource.manager).query(
      `UPDATE auth.users
          SET failed_login_attempts = failed_login_attempts + 1,
              locked_until = CASE WHEN failed_login_attempts + 1 >= $2 THEN $3::timestamptz ELSE locked_until END,
              updated_at = now()
        WHERE id = $1
      RETURNING failed_login_attempts, locked_until`,
      [id, maxAttempts, lockUntil],
    ));
    if (!rows.length) throw new Error(`user ${id} not found`);
    return { attempts: rows[0].failed_login_attempts, lockedUntil: rows[0].locked_until };
  }

  async recordSuccessfulLogin(id: string, at: Date, manager?: EntityManager): Promise<void> {
    await this.repo(manager).update({ id }, { failedLoginAttempts: 0, lockedUntil: null, lastLoginAt: at, lastActivityAt: at, updatedAt: at });
  }

  async update(id: string, changes: Partial<Omit<UserEntity, 'id' | 'createdAt'>>, manager?: EntityManager): Promise<void> {
    await this.repo(manager).update({ id }, { ...changes, updatedAt: new Date() });
  }

  /** Clears an expired lock so the next failures count from zero again. */
  async clearExpiredLock(id: string, now: Date): Promise<void> {
    await this.dataSource.query(
      `UPDATE auth.users SET failed_login_attempts = 0, locked_until = NULL, updated_at = now() WHERE id = $1 AND locked_until <= $2`,
      [id, now],
    );
  }

  /** Users whose TOTP secret was encrypted under another master key than `keyId` (ciphertext `v1.<keyId>.…`). */
  listTwoFactorSecretsNotUnder(keyId: string, limit = 100): Promise<Array<{ id: string; twoFactorSecret: string }>> {
    return this.repo()
      .createQueryBuilder('u')
      .select(['u.id', 'u.twoFactorSecret'])
      .where('u.two_factor_secret IS NOT NULL')
      .andWhere(`split_part(u.two_factor_secret, '.', 2) <> :keyId`, { keyId })
      .orderBy('u.id')
      .limit(limit)
      .getMany() as Promise<Array<{ id: string; twoFactorSecret: string }>>;
  }

  /** Users newest first, keyset-paginated by (created_at, id). */
  async list(options: { after?: TimeIdCursor; limit?: number } = {}): Promise<Page<UserEntity>> {
    const limit = clampLimit(options.limit);
    const qb = this.repo().createQueryBuilder('u').orderBy('u.created_at', 'DESC').addOrderBy('u.id', 'DESC').limit(limit + 1);
    if (options.after) qb.where('(u.created_at, u.id) < (:time, :id)', { time: options.after.time, id: options.after.id });
    const rows = await qb.getMany();
    return toPage(rows, limit, (u) => ({ time: u.createdAt, id: u.id }));
  }
}
