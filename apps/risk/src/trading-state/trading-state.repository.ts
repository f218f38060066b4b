import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { v7 } from 'uuid';
import type { RiskScope } from '../limits/risk-limit.entity';
import { TradingState, TradingStateEntity } from './trading-state.entity';

export interface StateChange {
  readonly scope: RiskScope;
  readonly scopeId: string | null;
  readonly state: TradingState;
  readonly reason: string | null;
  readonly changedBy: string;
  readonly changedAt?: Date;
}

@Injectable()
export class TradingStateRepository {
  constructor(private readonly dataSource: DataSource) {}

  private repo(manager?: EntityManager): Repository<TradingStateEntity> {
    return (manager ?? this.dataSource.manager).getRepository(TradingStateEntity);
  }

  /** Sets the state of a scope (one row per scope, created on first change). */
  async set(change: StateChange, manager?: EntityManager): Promise<TradingStateEntity> {
    const m = manager ?? this.dataSource.manager;
    const rows: { id: string }[] = await m.query(
      `INSERT INTO risk.trading_states (id, scope, scope_id, state, reason, changed_by, changed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT ON CONSTRAINT uq_trading_states_scope DO UPDATE
         SET state = EXCLUDED.state, reason = EXCLUDED.reason, changed_by = EXCLUDED.changed_by, changed_at = EXCLUDED.changed_at
       RETURNING id`,
      [
        v7(),
        change.scope,
        change.scopeId,
        change.state,
        change.reason,
        change.changedBy,
        change.changedAt ?? new Date(),
      ],
    );
    const [row] = rows;
    if (!row) throw new Error('upsert of a trading state returned no row');
    return m.getRepository(TradingStateEntity).findOneByOrFail({ id: row.id });
  }

  /** The state of one scope; a scope never changed is ACTIVE (returns null). */
  find(scope: RiskScope, scopeId: string | null, manager?: EntityManager): Promise<TradingStateEntity | null> {
    return this.repo(manager)
      .createQueryBuilder('s')
      .where('s.scope = :scope', { scope })
      .andWhere(scopeId === null ? 's.scopeId IS NULL' : 's.scopeId = :scopeId', { scopeId })
      .getOne();
  }

  /** A digest of every restricted scope's row: equal digests, equal states (checked by the database, cheaply). */
  async restrictedDigest(): Promise<string> {
    const [row] = (await this.dataSource.query(
      `SELECT md5(COALESCE(string_agg(s::text, ',' ORDER BY s.id), '')) AS digest FROM risk.trading_states s WHERE s.state <> 'ACTIVE'`,
    )) as { digest: string }[];
    return row?.digest ?? '';
  }

  /** Every scope not ACTIVE (served by the partial idx_trading_states_not_active), to rebuild caches on start. */
  listRestricted(): Promise<TradingStateEntity[]> {
    return this.repo().createQueryBuilder('s').where(`s.state <> 'ACTIVE'`).orderBy('s.changedAt', 'ASC').getMany();
  }
}
