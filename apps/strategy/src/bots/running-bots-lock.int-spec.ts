import { DataSource, QueryRunner } from 'typeorm';
import { v7 } from 'uuid';
import { migrateUp, serviceDataSourceOptions } from '@trading/database';
import { TestDatabase, createTestDatabase } from '@trading/testing';
import { strategyDatabase } from '../database/strategy.database';
import { StrategyRepository } from '../strategies/strategy.repository';
import { BotStateRepository } from './bot-state.repository';
import { BotRepository } from './bot.repository';

/** The two statements candle evaluation runs per candle besides the event claim: lock the market's bots, record the candle. */
describe('running bots of a market: lock and record a candle', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let bots: BotRepository;
  let states: BotStateRepository;
  let strategyId: string;
  const userId = v7();

  const aRunningBot = async (symbol: string, status: 'running' | 'stopped' = 'running'): Promise<string> => {
    const bot = await bots.create({ userId, strategyId, name: `bot-${v7()}`, exchange: 'binance', symbol, timeframe: '1m', initialCapital: '1000' }, userId);
    if (status === 'running') await bots.setStatus(bot.id, 'running', new Date('2026-03-01T00:00:00Z'));
    return bot.id;
  };
  const inTransaction = async (): Promise<QueryRunner> => {
    const runner = ds.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    return runner;
  };
  const waitingForLock = async (pid: number): Promise<void> => {
    for (;;) {
      const [row] = await ds.query(`SELECT wait_event_type FROM pg_stat_activity WHERE pid = $1`, [pid]);
      if (row?.wait_event_type === 'Lock') return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };

  beforeAll(async () => {
    db = await createTestDatabase('strategy_bot_locks');
    await migrateUp(strategyDatabase, db.url);
    ds = await new DataSource(serviceDataSourceOptions(strategyDatabase, db.url, { poolSize: 4 })).initialize();
    bots = new BotRepository(ds);
    states = new BotStateRepository(ds);
    strategyId = (await new StrategyRepository(ds).create({ userId: null, name: 'SMA cross', strategyType: 'sma_cross' })).id;
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('returns the running bots of the market only, in id order, with state and strategy type; records a candle for several bots in one statement', async () => {
    const ids = [await aRunningBot('BTC/USDT'), await aRunningBot('BTC/USDT'), await aRunningBot('BTC/USDT')];
    const stopped = await aRunningBot('BTC/USDT', 'stopped');
    await aRunningBot('ETH/USDT');
    expect(await states.save(ids[1], 0, { state: { target: 'long', note: 'kept' } })).not.toBeNull();

    const candleTime = new Date('2026-03-01T00:05:00Z');
    const at = new Date('2026-03-01T00:06:00.123Z');
    const error = `bad "params" {a,b} \\ it's NULL`;
    await ds.transaction(async (m) => {
      const locked = await bots.lockRunningForMarket({ exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1m' }, m);
      expect(locked.map((b) => b.id)).toEqual([...ids].sort());
      expect(locked.find((b) => b.id === ids[1])).toMatchObject({ userId, strategyId, strategyType: 'sma_cross', symbol: 'BTC/USDT', lastCandleTime: null, state: { target: 'long', note: 'kept' } });
      await states.recordCandleDecisions(
        candleTime,
        at,
        [
          { botId: ids[1], target: 'flat', errorMessage: null },
          { botId: ids[2], target: 'long', errorMessage: error },
        ],
        m,
      );
    });

    expect(await states.get(ids[1])).toMatchObject({ lastCandleTime: candleTime, lastRunAt: at, lastErrorMessage: null, state: { target: 'flat', note: 'kept' }, revision: 2, updatedAt: at });
    expect(await states.get(ids[2])).toMatchObject({ lastCandleTime: candleTime, lastRunAt: at, lastErrorMessage: error, state: { target: 'long' }, revision: 1 });
    expect(await states.get(ids[0])).toMatchObject({ lastCandleTime: null, lastRunAt: null, revision: 0 });
    expect((await bots.findById(ids[1]))?.lastHeartbeat).toEqual(at);
    expect((await bots.findById(ids[2]))?.lastHeartbeat).toEqual(at);
    expect((await bots.findById(ids[0]))?.lastHeartbeat).toBeNull();
    expect((await bots.findById(stopped))?.lastHeartbeat).toBeNull();
  });

  it('a second locker waits for the first, then reads the state it committed and leaves out a bot it stopped', async () => {
    const [first, second] = [await aRunningBot('SOL/USDT'), await aRunningBot('SOL/USDT')].sort();
    const market = { exchange: 'binance', symbol: 'SOL/USDT', timeframe: '1m' };
    const candleTime = new Date('2026-03-01T01:00:00Z');
    const a = await inTransaction();
    const b = await inTransaction();
    try {
      expect((await bots.lockRunningForMarket(market, a.manager)).map((r) => r.id)).toEqual([first, second]);
      const [{ pid }] = await b.query('SELECT pg_backend_pid() AS pid');
      const waiting = bots.lockRunningForMarket(market, b.manager);
      await waitingForLock(pid);

      await states.recordCandleDecisions(
        candleTime,
        new Date(),
        [
          { botId: first, target: 'long', errorMessage: null },
          { botId: second, target: 'long', errorMessage: null },
        ],
        a.manager,
      );
      await bots.setStatus(second, 'stopped', new Date(), a.manager);
      await a.commitTransaction();

      const seen = await waiting;
      expect(seen.map((r) => r.id)).toEqual([first]);
      expect(seen[0]).toMatchObject({ lastCandleTime: candleTime, state: { target: 'long' } });
      await b.commitTransaction();
    } finally {
      await a.release();
      await b.release();
    }
  });
});
