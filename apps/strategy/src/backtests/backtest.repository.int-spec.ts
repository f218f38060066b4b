import { DataSource } from 'typeorm';
import { v7 } from 'uuid';
import { migrateUp, serviceDataSourceOptions } from '@trading/database';
import { createTestDatabase, TestDatabase } from '@trading/testing';
import { strategyDatabase } from '../database/strategy.database';
import { BacktestRepository } from './backtest.repository';

describe('BacktestRepository: the job queue', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let backtests: BacktestRepository;
  const job = () =>
    backtests.create({
      userId: v7(),
      strategy: 'sma_cross',
      exchange: 'binance',
      symbol: 'BTC/USDT',
      timeframe: '1m',
      startTime: new Date('2021-01-03T00:00:00Z'),
      endTime: new Date('2021-01-04T00:00:00Z'),
      initialCapital: '10000',
      settings: { dataset: 'BTCUSDT_1m_2021-01-03' },
    });

  beforeAll(async () => {
    db = await createTestDatabase('strategy_backtest_queue');
    await migrateUp(strategyDatabase, db.url);
    ds = await new DataSource(serviceDataSourceOptions(strategyDatabase, db.url, { poolSize: 4 })).initialize();
    backtests = new BacktestRepository(ds);
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('hands each queued job to one worker, and queues again a running job whose instance stopped making progress', async () => {
    const stale = await job();
    const live = await job();
    // Concurrent workers: a claim may come back empty when it raced another for the same row (the
    // worker polls again), but no job is ever handed to two workers and none is left behind.
    const claimed = (await Promise.all([backtests.claimNext(new Date()), backtests.claimNext(new Date()), backtests.claimNext(new Date())])).flatMap((j) => (j ? [j.id] : []));
    for (let next = await backtests.claimNext(new Date()); next; next = await backtests.claimNext(new Date())) claimed.push(next.id);
    expect(claimed.sort()).toEqual([stale.id, live.id].sort());
    await ds.query(`UPDATE strategy.backtests SET updated_at = now() - interval '20 minutes' WHERE id = $1`, [stale.id]);
    expect(await backtests.requeueStale(new Date(Date.now() - 10 * 60_000))).toBe(1);
    expect(await backtests.findById(stale.id)).toMatchObject({ status: 'queued', progress: '0.00', startedAt: null, settings: { dataset: 'BTCUSDT_1m_2021-01-03' } });
    expect((await backtests.findById(live.id))?.status).toBe('running');
    expect((await backtests.claimNext(new Date()))?.id).toBe(stale.id);
  });
});
