import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, IsNull, MoreThan } from 'typeorm';
import { v7 } from 'uuid';
import { returningRows } from '../database/returning-rows';
import { JsonObject } from '../database/json';
import { UserSessionEntity } from './user-session.entity';

export interface NewSession {
  userId: string;
  tokenHash: string;
  expiresAt: Date;
  /** Omit for a fresh login: the session starts a new family. */
  familyId?: string;
  ipAddress?: string | null;
  userAgent?: string | null;
  deviceInfo?: JsonObject | null;
}

@Injectable()
export class UserSessionRepository {
  constructor(private readonly dataSource: DataSource) {}

  async create(input: NewSession, manager: EntityManager = this.dataSource.manager): Promise<UserSessionEntity> {
    const repo = manager.getRepository(UserSessionEntity);
    const session = repo.create({
      id: v7(),
      userId: input.userId,
      tokenHash: input.tokenHash,
      familyId: input.familyId ?? v7(),
      expiresAt: input.expiresAt,
      ipAddress: input.ipAddress ?? null,
      userAgent: input.userAgent ?? null,
      deviceInfo: input.deviceInfo ?? null,
    });
    await repo.insert(session);
    return repo.findOneByOrFail({ id: session.id });
  }

  findById(id: string): Promise<UserSessionEntity | null> {
    return this.dataSource.getRepository(UserSessionEntity).findOneBy({ id });
  }

  findByTokenHash(tokenHash: string): Promise<UserSessionEntity | null> {
    return this.dataSource.getRepository(UserSessionEntity).findOneBy({ tokenHash });
  }

  /**
   * Rotation: revokes `current` and issues its successor in the same family, in one transaction.
   * Returns null when `current` was already revoked (a reused token: the caller revokes the family).
   */
  async rotate(currentId: string, next: Omit<NewSession, 'familyId' | 'userId'>, now: Date): Promise<UserSessionEntity | null> {
    return this.dataSource.transaction(async (manager) => {
      const current = await manager
        .getRepository(UserSessionEntity)
        .createQueryBuilder('s')
        .setLock('pessimistic_write')
        .where('s.id = :id', { id: currentId })
        .getOne();
      if (!current || current.revokedAt) return null;
      const successor = await this.create({ ...next, userId: current.userId, familyId: current.familyId }, manager);
      await manager.getRepository(UserSessionEntity).update({ id: current.id }, { revokedAt: now, replacedBy: successor.id, lastUsedAt: now });
      return successor;
    });
  }

  /** Revokes every live session of a family (refresh-token reuse). Returns how many were revoked. */
  async revokeFamily(familyId: string, now: Date, manager: EntityManager = this.dataSource.manager): Promise<number> {
    const result = await manager.getRepository(UserSessionEntity).update({ familyId, revokedAt: IsNull() }, { revokedAt: now });
    return result.affected ?? 0;
  }

  async revokeAllForUser(userId: string, now: Date, manager: EntityManager = this.dataSource.manager): Promise<number> {
    const result = await manager.getRepository(UserSessionEntity).update({ userId, revokedAt: IsNull() }, { revokedAt: now });
    return result.affected ?? 0;
  }

  /**
   * Ids of the sessions (of a user, or of one login) created after `since`: each issued one access
   * token then, so these are the tokens that may still be alive.
   */
  async idsCreatedSince(owner: { userId: string } | { familyId: string }, since: Date): Promise<string[]> {
    const rows = await this.dataSource.getRepository(UserSessionEntity).find({ select: { id: true }, where: { ...owner, createdAt: MoreThan(since) } });
    return rows.map((r) => r.id);
  }

  listActiveByUser(userId: string, now: Date): Promise<UserSessionEntity[]> {
    return this.dataSource.getRepository(UserSessionEntity).find({
      where: { userId, revokedAt: IsNull(), expiresAt: MoreThan(now) },
      order: { createdAt: 'DESC', id: 'DESC' },
    });
  }

  async deleteExpired(before: Date): Promise<number> {
    const rows = returningRows<unknown>(await this.dataSource.query(`DELETE FROM auth.user_sessions WHERE expires_at < $1 RETURNING id`, [before]));
    return rows.length;
  }
}
