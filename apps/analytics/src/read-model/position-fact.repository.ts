import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, IsNull, Repository } from 'typeorm';
import { v7 } from 'uuid';
import { PositionFactEntity, PositionFactStatus } from './position-fact.entity';

export interface PositionFactKey {
  readonly userId: string;
  readonly botId: string | null;
  readonly exchange: string;
  readonly symbol: string;
}

export interface PositionFactState extends PositionFactKey {
  readonly mode: 'live' | 'paper';
  readonly side: 'long' | 'short';
  /** > 0; a position going flat is recorded with its last size and status 'closed'. */
  readonly size: string;
  readonly avgEntryPrice: string;
  readonly currentPrice: string | null;
  readonly unrealizedPnl: string;
  readonly realizedPnl: string;
  readonly status: PositionFactStatus;
  readonly lastTradeId: string | null;
  readonly changedAt: Date;
}

@Injectable()
export class PositionFactRepository {
  constructor(private readonly dataSource: DataSource) {}

  private repo(manager?: EntityManager): Repository<PositionFactEntity> {
    return (manager ?? this.dataSource.manager).getRepository(PositionFactEntity);
  }

  /**
   * Applies a PositionChanged: inserts or overwrites the position of that key, unless the stored row is already
   * newer (events may arrive out of order). A position reopening after a close gets a new opened_at.
   * Returns whether the row changed.
   */
  async apply(state: PositionFactState, manager?: EntityManager): Promise<boolean> {
    const m = manager ?? this.dataSource.manager;
    const rows: unknown[] = await m.query(
      `INSERT INTO analytics.position_facts AS p
         (id, user_id, bot_id, exchange, symbol, mode, side, size, avg_entry_price, current_price, unrealized_pnl, realized_pnl,
          status, last_trade_id, opened_at, closed_at, changed_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::varchar, $14, $15::timestamptz,
               CASE WHEN $13::varchar IN ('closed', 'liquidated') THEN $15::timestamptz END, $15, now())
       ON CONFLICT ON CONSTRAINT uq_position_facts_key DO UPDATE SET
         mode = EXCLUDED.mode, side = EXCLUDED.side, size = EXCLUDED.size, avg_entry_price = EXCLUDED.avg_entry_price,
         current_price = EXCLUDED.current_price, unrealized_pnl = EXCLUDED.unrealized_pnl, realized_pnl = EXCLUDED.realized_pnl,
         status = EXCLUDED.status, last_trade_id = EXCLUDED.last_trade_id,
         opened_at = CASE WHEN p.status IN ('closed', 'liquidated') AND EXCLUDED.status NOT IN ('closed', 'liquidated')
                          THEN EXCLUDED.opened_at ELSE p.opened_at END,
         closed_at = EXCLUDED.closed_at, changed_at = EXCLUDED.changed_at, updated_at = now()
       WHERE p.changed_at < EXCLUDED.changed_at
       RETURNING 1`,
      [
        v7(),
        state.userId,
        state.botId,
        state.exchange,
        state.symbol,
        state.mode,
        state.side,
        state.size,
        state.avgEntryPrice,
        state.currentPrice,
        state.unrealizedPnl,
        state.realizedPnl,
        state.status,
        state.lastTradeId,
        state.changedAt,
      ],
    );
    return rows.length > 0;
  }

  find(key: PositionFactKey): Promise<PositionFactEntity | null> {
    return this.repo().findOneBy({
      userId: key.userId,
      botId: key.botId ?? IsNull(),
      exchange: key.exchange,
      symbol: key.symbol,
    });
  }

  listOpenByUser(userId: string): Promise<PositionFactEntity[]> {
    return this.repo().find({ where: { userId, status: 'open' }, order: { openedAt: 'ASC', id: 'ASC' } });
  }
}
