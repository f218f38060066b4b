import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { BotFactEntity, BotFactStatus } from './bot-fact.entity';

export interface BotStatusFact {
  readonly botId: string;
  readonly userId: string;
  readonly status: BotFactStatus;
  readonly mode: 'live' | 'paper' | 'backtest' | null;
  readonly changedAt: Date;
  /** The capital the event carried; null keeps the stored one. */
  readonly initialCapital?: string | null;
}

@Injectable()
export class BotFactRepository {
  constructor(private readonly dataSource: DataSource) {}

  private repo(manager?: EntityManager): Repository<BotFactEntity> {
    return (manager ?? this.dataSource.manager).getRepository(BotFactEntity);
  }

  /** Applies a BotStatusChanged (status, mode, capital) unless a newer one is already stored; returns whether the row changed. */
  async applyStatus(fact: BotStatusFact, manager?: EntityManager): Promise<boolean> {
    const rows: unknown[] = await (manager ?? this.dataSource.manager).query(
      `INSERT INTO analytics.bot_facts AS b (bot_id, user_id, status, mode, changed_at, initial_capital, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, now())
       ON CONFLICT (bot_id) DO UPDATE SET
         status = EXCLUDED.status, mode = COALESCE(EXCLUDED.mode, b.mode), changed_at = EXCLUDED.changed_at,
         initial_capital = COALESCE(EXCLUDED.initial_capital, b.initial_capital), updated_at = now()
       WHERE b.changed_at < EXCLUDED.changed_at
       RETURNING 1`,
      [fact.botId, fact.userId, fact.status, fact.mode, fact.changedAt, fact.initialCapital ?? null],
    );
    return rows.length > 0;
  }

  /** Name, strategy and equity come from other bot events than status changes. */
  async updateProfile(
    botId: string,
    profile: Partial<Pick<BotFactEntity, 'name' | 'strategy' | 'currentEquity'>>,
    manager?: EntityManager,
  ): Promise<void> {
    await this.repo(manager).update({ botId }, { ...profile, updatedAt: new Date() });
  }

  find(botId: string, manager?: EntityManager): Promise<BotFactEntity | null> {
    return this.repo(manager).findOneBy({ botId });
  }

  listByUser(userId: string): Promise<BotFactEntity[]> {
    return this.repo().find({ where: { userId }, order: { botId: 'ASC' } });
  }
}
