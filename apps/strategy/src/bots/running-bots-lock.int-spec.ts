import { DataSource, QueryRunner } from 'typeorm';
import { v7 } from 'uuid';
import { migrateUp, serviceDataSourceOptions } from '@trading/database';
import { TestDatabase, createTestDatabase } from '@trading/testing';
import { strategyDatabase } from '../database/strategy.database';
import { StrategyRepository } from '../strategies/strategy.repository';
import { BotStateRepository } from './bot-state.repository';
import { BotRepository } from './bot.repository';

/** The two statements candle evaluation runs per candle between BEGIN and COMMIT: lock the market's bots and claim the event, record the candle. */
describe('running bots of a market: lock, claim the candle event, record the candle', () => {
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
  const claimOf = (eventId = v7()) => ({ consumerGroup: 'strategy', eventId });
  const claims = async (eventId: string): Promise<number> =>
    Number((await ds.query(`SELECT count(*) AS n FROM strategy.processed_events WHERE event_id = $1`, [eventId]))[0].n);
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
      const { bots: locked, claimed } = await bots.lockRunningForCandle({ exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1m' }, claimOf(), m);
      expect(claimed).toBe(true);
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
      const locked = await bots.lockRunningForCandle(market, claimOf(), a.manager);
      expect(locked.bots.map((r) => r.id)).toEqual([first, second]);
      const [{ pid }] = await b.query('SELECT pg_backend_pid() AS pid');
      const waiting = bots.lockRunningForCandle(market, claimOf(), b.manager);
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

      const { bots: seen, claimed } = await waiting;
      expect(claimed).toBe(true);
      expect(seen.map((r) => r.id)).toEqual([first]);
      expect(seen[0]).toMatchObject({ lastCandleTime: candleTime, state: { target: 'long' } });
      await b.commitTransaction();
    } finally {
      await a.release();
      await b.release();
    }
  });

  it('claims an event once: a redelivery is not claimed again, a concurrent one waits for the first and finds its claim, a market without running bots claims nothing', async () => {
    await aRunningBot('ADA/USDT');
    const market = { exchange: 'binance', symbol: 'ADA/USDT', timeframe: '1m' };
    const claim = claimOf();
    expect((await ds.transaction((m) => bots.lockRunningForCandle(market, claim, m))).claimed).toBe(true);
    const again = await ds.transaction((m) => bots.lockRunningForCandle(market, claim, m));
    expect(again).toMatchObject({ claimed: false, bots: [expect.objectContaining({ symbol: 'ADA/USDT' })] });
    expect(await claims(claim.eventId)).toBe(1);

    const concurrent = claimOf();
    const a = await inTransaction();
    const b = await inTransaction();
    try {
      expect((await bots.lockRunningForCandle(market, concurrent, a.manager)).claimed).toBe(true);
      const [{ pid }] = await b.query('SELECT pg_backend_pid() AS pid');
      const waiting = bots.lockRunningForCandle(market, concurrent, b.manager);
      await waitingForLock(pid);
      await a.commitTransaction();
      expect((await waiting).claimed).toBe(false);
      await b.commitTransaction();
    } finally {
      await a.release();
      await b.release();
    }
    expect(await claims(concurrent.eventId)).toBe(1);

    const idle = { exchange: 'binance', symbol: 'XRP/USDT', timeframe: '1m' };
    await aRunningBot('XRP/USDT', 'stopped');
    const unclaimed = claimOf();
    expect(await ds.transaction((m) => bots.lockRunningForCandle(idle, unclaimed, m))).toEqual({ bots: [], claimed: false });
    expect(await claims(unclaimed.eventId)).toBe(0);
    expect(await bots.hasRunningForMarket(idle)).toBe(false);
    expect(await bots.hasRunningForMarket(market)).toBe(true);
  });
});
