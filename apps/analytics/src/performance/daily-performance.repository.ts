import { Injectable } from '@nestjs/common';
import { Between, DataSource, EntityManager, Repository } from 'typeorm';
import { v7 } from 'uuid';
import { DailyPerformanceEntity } from './daily-performance.entity';

export interface TradeOutcome {
  readonly botId: string;
  readonly userId: string;
  /** UTC day of the trade, YYYY-MM-DD. */
  readonly date: string;
  readonly realizedPnl: string;
  readonly fee: string;
}

@Injectable()
export class DailyPerformanceRepository {
  constructor(private readonly dataSource: DataSource) {}

  private repo(manager?: EntityManager): Repository<DailyPerformanceEntity> {
    return (manager ?? this.dataSource.manager).getRepository(DailyPerformanceEntity);
  }

  /** Adds one trade to its bot's day atomically; the sums are done by PostgreSQL in NUMERIC, so they stay exact. */
  async addTrade(trade: TradeOutcome, manager?: EntityManager): Promise<void> {
    await (manager ?? this.dataSource.manager).query(
      `INSERT INTO analytics.daily_performance AS d (id, bot_id, user_id, date, trades, wins, losses, pnl, fees, updated_at)
       VALUES ($1, $2, $3, $4, 1, CASE WHEN $5::numeric > 0 THEN 1 ELSE 0 END, CASE WHEN $5::numeric < 0 THEN 1 ELSE 0 END, $5, $6, now())
       ON CONFLICT ON CONSTRAINT uq_daily_performance_bot_date DO UPDATE SET
         trades = d.trades + 1, wins = d.wins + EXCLUDED.wins, losses = d.losses + EXCLUDED.losses,
         pnl = d.pnl + EXCLUDED.pnl, fees = d.fees + EXCLUDED.fees, updated_at = now()`,
      [v7(), trade.botId, trade.userId, trade.date, trade.realizedPnl, trade.fee],
    );
  }

  find(botId: string, date: string): Promise<DailyPerformanceEntity | null> {
    return this.repo().findOneBy({ botId, date });
  }

  /** Days from..to inclusive, oldest first. */
  listByBot(botId: string, from: string, to: string): Promise<DailyPerformanceEntity[]> {
    return this.repo().find({ where: { botId, date: Between(from, to) }, order: { date: 'ASC' } });
  }
}
