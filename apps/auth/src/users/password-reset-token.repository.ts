import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { v7 } from 'uuid';
import { returningRows } from '../database/returning-rows';
import { PasswordResetTokenEntity } from './password-reset-token.entity';

@Injectable()
export class PasswordResetTokenRepository {
  constructor(private readonly dataSource: DataSource) {}

  async create(
    input: { userId: string; tokenHash: string; expiresAt: Date; requestedIp?: string | null },
    manager: EntityManager = this.dataSource.manager,
  ): Promise<PasswordResetTokenEntity> {
    const repo = manager.getRepository(PasswordResetTokenEntity);
    const token = repo.create({ id: v7(), userId: input.userId, tokenHash: input.tokenHash, expiresAt: input.expiresAt, requestedIp: input.requestedIp ?? null });
    await repo.insert(token);
    return repo.findOneByOrFail({ id: token.id });
  }

  findByTokenHash(tokenHash: string): Promise<PasswordResetTokenEntity | null> {
    return this.dataSource.getRepository(PasswordResetTokenEntity).findOneBy({ tokenHash });
  }

  /** Marks the token used if it is unused and unexpired at `now`; returns its user id, or null. Single use even under races. */
  async consume(tokenHash: string, now: Date): Promise<string | null> {
    const rows = returningRows<{ user_id: string }>(await this.dataSource.query(
      `UPDATE auth.password_reset_tokens SET used_at = $2
        WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2
      RETURNING user_id`,
      [tokenHash, now],
    ));
    return rows[0]?.user_id ?? null;
  }
}
