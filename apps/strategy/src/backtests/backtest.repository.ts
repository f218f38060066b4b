import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { v7 } from 'uuid';
import { Page, TimeIdCursor, clampLimit, toPage } from '@trading/database';
import { BacktestEntity } from './backtest.entity';

export type NewBacktest = Pick<BacktestEntity, 'userId' | 'strategy' | 'exchange' | 'symbol' | 'timeframe' | 'startTime' | 'endTime' | 'initialCapital'> &
  Partial<Pick<BacktestEntity, 'botId' | 'strategyId' | 'params' | 'settings' | 'marketType'>>;

export type BacktestResults = Pick<BacktestEntity, 'finalCapital'> &
  Partial<
    Pick<
      BacktestEntity,
      | 'totalReturn' | 'totalTrades' | 'winningTrades' | 'losingTrades' | 'winRate' | 'totalFees' | 'avgProfit' | 'profitFactor'
      | 'maxDrawdown' | 'sharpeRatio' | 'stats' | 'equityCurve' | 'trades' | 'dailyResults' | 'monthlyResults'
    >
  >;

@Injectable()
export class BacktestRepository {
  constructor(private readonly dataSource: DataSource) {}

  async create(input: NewBacktest, manager: EntityManager = this.dataSource.manager): Promise<BacktestEntity> {
    const repo = manager.getRepository(BacktestEntity);
    const row = repo.create({ ...input, id: v7() });
    await repo.insert(row);
    return repo.findOneByOrFail({ id: row.id });
  }

  findById(id: string): Promise<BacktestEntity | null> {
    return this.dataSource.getRepository(BacktestEntity).findOneBy({ id });
  }

  findByIdForUser(id: string, userId: string): Promise<BacktestEntity | null> {
    return this.dataSource.getRepository(BacktestEntity).findOneBy({ id, userId });
  }

  /** A user's backtests, newest first, keyset-paginated by (created_at, id); the heavy JSON results are left out. */
  async listByUser(userId: string, options: { after?: TimeIdCursor; limit?: number } = {}): Promise<Page<BacktestEntity>> {
    const limit = clampLimit(options.limit);
    const heavy = new Set(['equityCurve', 'trades', 'dailyResults', 'monthlyResults']);
    const columns = this.dataSource
      .getMetadata(BacktestEntity)
      .columns.filter((c) => !heavy.has(c.propertyName))
      .map((c) => `b.${c.propertyName}`);
    const qb = this.dataSource
      .getRepository(BacktestEntity)
      .createQueryBuilder('b')
      .select(columns)
      .where('b.user_id = :userId', { userId })
      .orderBy('b.created_at', 'DESC')
      .addOrderBy('b.id', 'DESC')
      .limit(limit + 1);
    if (options.after) qb.andWhere('(b.created_at, b.id) < (:time, :id)', { time: options.after.time, id: options.after.id });
    return toPage(await qb.getMany(), limit, (b) => ({ time: b.createdAt, id: b.id }));
  }

  /** Takes the oldest queued backtest for a worker; concurrent workers never get the same one. */
  async claimNext(at: Date): Promise<BacktestEntity | null> {
    // One statement: the oldest queued job no other worker holds becomes this worker's (SKIP LOCKED).
    const rows: { id: string }[] = await this.dataSource.query(
      `UPDATE strategy.backtests SET status = 'running', started_at = $1, updated_at = $1
        WHERE id = (SELECT id FROM strategy.backtests WHERE status = 'queued' ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING id`,
      [at],
    );
    const claimed = returnedRows(rows)[0];
    return claimed ? this.dataSource.getRepository(BacktestEntity).findOneByOrFail({ id: claimed.id }) : null;
  }

  /** Jobs left `running` by an instance that died (no progress since `staleBefore`) go back to the queue. */
  async requeueStale(staleBefore: Date): Promise<number> {
    const result = await this.dataSource
      .getRepository(BacktestEntity)
      .createQueryBuilder()
      .update()
      .set({ status: 'queued', progress: '0', startedAt: null, updatedAt: () => 'now()' })
      .where(`status = 'running' AND updated_at < :staleBefore`, { staleBefore })
      .execute();
    return result.affected ?? 0;
  }

  async updateProgress(id: string, progress: string): Promise<void> {
    await this.dataSource.getRepository(BacktestEntity).update({ id, status: 'running' }, { progress, updatedAt: new Date() });
  }

  async complete(id: string, results: BacktestResults, at: Date): Promise<void> {
    await this.dataSource.getRepository(BacktestEntity).update({ id }, { ...results, status: 'completed', progress: '100', finishedAt: at, updatedAt: at });
  }

  async fail(id: string, error: string, at: Date): Promise<void> {
    await this.dataSource.getRepository(BacktestEntity).update({ id }, { status: 'failed', error, finishedAt: at, updatedAt: at });
  }
}

/** TypeORM answers an UPDATE ... RETURNING with [rows, affected] on PostgreSQL. */
function returnedRows<T>(result: T[] | [T[], number]): T[] {
  return Array.isArray(result[0]) ? (result[0] as T[]) : (result as T[]);
}
