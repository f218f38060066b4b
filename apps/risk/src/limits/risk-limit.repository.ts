import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { v7 } from 'uuid';
import { BreachAction, LimitType, RiskLimitEntity, RiskScope } from './risk-limit.entity';

export interface LimitDefinition {
  readonly scope: RiskScope;
  readonly scopeId: string | null;
  readonly limitType: LimitType;
  readonly value: string;
  readonly actionOnBreach?: BreachAction;
  readonly warnAtPcts?: number[];
  readonly isActive?: boolean;
  readonly description?: string | null;
  readonly updatedBy?: string | null;
}

export interface ActiveLimitRow {
  readonly id: string;
  readonly scope: RiskScope;
  readonly scopeId: string | null;
  readonly limitType: LimitType;
  readonly value: string;
  readonly action: BreachAction;
  readonly warnAtPcts: number[];
  readonly updatedAt: Date;
}

@Injectable()
export class RiskLimitRepository {
  constructor(private readonly dataSource: DataSource) {}

  private repo(manager?: EntityManager): Repository<RiskLimitEntity> {
    return (manager ?? this.dataSource.manager).getRepository(RiskLimitEntity);
  }

  /** Inserts a limit; a second limit of the same type on the same scope is refused (uq_risk_limits_scope_type). */
  async create(input: LimitDefinition, manager?: EntityManager): Promise<RiskLimitEntity> {
    const repo = this.repo(manager);
    const now = new Date();
    const limit = repo.create({ ...input, id: v7(), createdAt: now, updatedAt: now });
    await repo.insert(limit);
    return repo.findOneByOrFail({ id: limit.id });
  }

  /** Creates the limit or replaces the value/action/warnings of the existing one for that scope and type. */
  async set(input: LimitDefinition, manager?: EntityManager): Promise<RiskLimitEntity> {
    const m = manager ?? this.dataSource.manager;
    const rows: { id: string }[] = await m.query(
      `INSERT INTO risk.risk_limits (id, scope, scope_id, limit_type, value, action_on_breach, warn_at_pcts, is_active, description, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, COALESCE($7::numeric(5,2)[], '{80,95}'), $8, $9, $10)
         ON CONFLICT ON CONSTRAINT uq_risk_limits_scope_type DO UPDATE
           SET value = EXCLUDED.value, action_on_breach = EXCLUDED.action_on_breach, warn_at_pcts = EXCLUDED.warn_at_pcts,
               is_active = EXCLUDED.is_active, description = EXCLUDED.description, updated_by = EXCLUDED.updated_by, updated_at = now()
         RETURNING id`,
      [
        v7(),
        input.scope,
        input.scopeId,
        input.limitType,
        input.value,
        input.actionOnBreach ?? 'block',
        input.warnAtPcts ?? null,
        input.isActive ?? true,
        input.description ?? null,
        input.updatedBy ?? null,
      ],
    );
    const [row] = rows;
    if (!row) throw new Error('upsert of a risk limit returned no row');
    return m.getRepository(RiskLimitEntity).findOneByOrFail({ id: row.id });
  }

  findById(id: string): Promise<RiskLimitEntity | null> {
    return this.repo().findOneBy({ id });
  }

  /** The active limits that apply to an order of this bot and user: global, the user's and the bot's. */
  findApplicable(userId: string, botId: string | null): Promise<RiskLimitEntity[]> {
    const qb = this.repo()
      .createQueryBuilder('l')
      .where('l.isActive')
      .andWhere(
        `(l.scope = 'global' OR (l.scope = 'user' AND l.scopeId = :userId)${botId ? ` OR (l.scope = 'bot' AND l.scopeId = :botId)` : ''})`,
        {
          userId,
          botId,
        },
      )
      .orderBy('l.scope', 'ASC')
      .addOrderBy('l.limitType', 'ASC');
    return qb.getMany();
  }

  listByScope(scope: RiskScope, scopeId: string | null): Promise<RiskLimitEntity[]> {
    return this.repo()
      .createQueryBuilder('l')
      .where('l.scope = :scope', { scope })
      .andWhere(scopeId === null ? 'l.scopeId IS NULL' : 'l.scopeId = :scopeId', { scopeId })
      .orderBy('l.limitType', 'ASC')
      .getMany();
  }

  /** Every active limit, to rebuild the in-memory book at start. */
  listActive(): Promise<RiskLimitEntity[]> {
    return this.repo().find({ where: { isActive: true } });
  }

  /** Every active limit with only what the book needs, without entity hydration (reloaded by every instance). */
  listActiveRules(): Promise<ActiveLimitRow[]> {
    return this.dataSource.query(
      `SELECT id, scope, scope_id AS "scopeId", limit_type AS "limitType", value::text AS value, action_on_breach AS action,
              warn_at_pcts::float8[] AS "warnAtPcts", updated_at AS "updatedAt"
         FROM risk.risk_limits WHERE is_active`,
    );
  }

  /** A digest of every active limit's content: equal digests, equal limits (checked by the database, cheaply). */
  async activeDigest(): Promise<string> {
    const [row] = (await this.dataSource.query(`SELECT md5(COALESCE(string_agg(l::text, ',' ORDER BY l.id), '')) AS digest FROM risk.risk_limits l WHERE l.is_active`)) as { digest: string }[];
    return row?.digest ?? '';
  }

  /** Deletes a limit; returns whether it existed. */
  async delete(id: string, manager?: EntityManager): Promise<boolean> {
    const result = await this.repo(manager).delete({ id });
    return (result.affected ?? 0) > 0;
  }
}
