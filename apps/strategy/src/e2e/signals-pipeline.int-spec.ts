import Redis from 'ioredis';
import { Client } from 'pg';
import { v7 } from 'uuid';
import { BotStatusChanged, RpcCaller, RpcPatterns, SignalEmitted, StrategyBotView, Streams } from '@trading/contracts';
import { RpcClient } from '@trading/streams';
import { createTestDatabase, TestDatabase, testRedisUrl, uniqueRedisNamespace, waitFor } from '@trading/testing';
import {
  buildAndMigrate,
  expectedSmaCrossSignals,
  groupDrained,
  MarketDataDouble,
  ServiceInstance,
  shippedMinutes,
  startStrategyService,
  stopGracefully,
} from './__fixtures__/strategy-service.fixture';

/**
 * The live path end to end with real processes: candles cached and published as market-data does
 * -> two strategy instances (one group) -> signals stored and published through the outbox.
 */
describe('strategy service: candles to signals', () => {
  const FAST = 5;
  const SLOW = 20;
  const candles = shippedMinutes().slice(0, 480);
  const expected = expectedSmaCrossSignals(
    candles.map((c) => c.close),
    candles.map((c) => c.time),
    FAST,
    SLOW,
  );
  const owner: RpcCaller = { userId: v7(), role: 'trader' };
  const stranger: RpcCaller = { userId: v7(), role: 'trader' };
  const admin: RpcCaller = { userId: v7(), role: 'admin' };
  const ns = uniqueRedisNamespace('strategy');
  const redis = new Redis(testRedisUrl());
  let db: TestDatabase;
  let pg: Client;
  let rpc: RpcClient;
  let market: MarketDataDouble;
  let bot: StrategyBotView;
  const instances: ServiceInstance[] = [];

  const env = () => ({ DATABASE_URL: db.url, REDIS_NAMESPACE: ns });
  const signalRows = async () =>
    (await pg.query<{ id: string; candle_time: Date; target: string }>(`SELECT id, candle_time, target FROM strategy.signals WHERE bot_id = $1 ORDER BY candle_time`, [bot.id])).rows.map(
      (r) => ({ id: r.id, time: r.candle_time.getTime(), target: r.target }),
    );
  const published = async () => {
    const entries = await redis.xrange(`${ns}${Streams.StrategySignals}`, '-', '+');
    return entries.map(([, fields]) => JSON.parse(fields[1]) as { id: string; type: string; payload: Record<string, unknown> });
  };
  const publishedSignals = async () => (await published()).filter((e) => e.type === SignalEmitted.TYPE) as unknown as SignalEmitted.Event[];
  const botState = async () =>
    (await pg.query<{ last_candle_time: Date | null; state: { target?: string } }>(`SELECT last_candle_time, state FROM strategy.bot_state WHERE bot_id = $1`, [bot.id])).rows[0];
  const unpublishedOutbox = async () => Number((await pg.query(`SELECT count(*) AS n FROM strategy.outbox WHERE published_at IS NULL`)).rows[0].n);
  const settled = async (lastTime: number) => {
    await waitFor(async () => (await botState()).last_candle_time?.getTime() === lastTime && (await groupDrained(redis, ns)) && (await unpublishedOutbox()) === 0, {
      what: 'every candle decided, acked and its signals published',
      timeoutMs: 60_000,
      intervalMs: 100,
    });
  };

  beforeAll(async () => {
    db = await createTestDatabase('strategy_e2e');
    buildAndMigrate(db.url);
    pg = new Client({ connectionString: db.url });
    await pg.connect();
    rpc = new RpcClient({ redisUrl: testRedisUrl(), namespace: ns, defaultTimeoutMs: 10_000 });
    market = new MarketDataDouble(redis, ns);
    instances.push(await startStrategyService('strategy-a', env()), await startStrategyService('strategy-b', env()));
  }, 120_000);

  afterAll(async () => {
    for (const i of instances) i.process.child.kill('SIGKILL');
    await rpc?.close();
    await pg?.end();
    const keys = await redis.keys(`${ns}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await db?.drop();
  });

  it('creates and starts an sma_cross bot through RPC; strangers get 404, admins see it; the start is published', async () => {
    const catalog = await rpc.send(RpcPatterns.StrategyCatalogList, { caller: owner });
    const smaCross = catalog.items.find((s) => s.strategyType === 'sma_cross');
    expect(smaCross?.paramsSchema).toMatchObject({ properties: { fast: { type: 'integer' }, slow: { type: 'integer' } } });
    bot = await rpc.send(RpcPatterns.StrategyBotsCreate, {
      caller: owner,
      strategyId: smaCross!.id,
      strategyParams: { fast: FAST, slow: SLOW },
      name: 'btc minutes',
      exchange: 'binance',
      symbol: 'BTC/USDT',
      timeframe: '1m',
      initialCapital: '1000',
    });
    expect(bot).toMatchObject({ status: 'stopped', mode: 'paper', strategy: 'sma_cross', strategyParams: { fast: FAST, slow: SLOW, allowShort: false }, target: 'flat' });
    await expect(rpc.send(RpcPatterns.StrategyBotsGet, { caller: stranger, botId: bot.id })).rejects.toMatchObject({ status: 404, code: 'BOT_NOT_FOUND' });
    await expect(rpc.send(RpcPatterns.StrategyBotsStart, { caller: stranger, botId: bot.id })).rejects.toMatchObject({ status: 404 });
    expect((await rpc.send(RpcPatterns.StrategyBotsGet, { caller: admin, botId: bot.id })).id).toBe(bot.id);
    expect((await rpc.send(RpcPatterns.StrategyBotsList, { caller: stranger })).items).toEqual([]);
    bot = await rpc.send(RpcPatterns.StrategyBotsStart, { caller: owner, botId: bot.id });
    expect(bot.status).toBe('running');
    await waitFor(async () => (await published()).some((e) => e.type === BotStatusChanged.TYPE && e.payload.botId === bot.id && e.payload.status === 'running'), {
      what: 'BotStatusChanged(running) on events:strategy_signals',
    });
  });

  it('yields exactly the expected sma_cross signals, each once, with two instances and one killed (SIGKILL) midway', async () => {
    expect(expected.length).toBeGreaterThanOrEqual(10); // the series has plenty of crosses
    const [a] = instances;
    const half = candles.slice(0, 240);
    for (let i = 0; i < half.length; i += 40) await market.publish(half.slice(i, i + 40));
    await waitFor(async () => ((await botState()).last_candle_time?.getTime() ?? 0) >= candles[60].time, { what: 'the instances to get going' });
    a.process.child.kill('SIGKILL');
    await a.process.exited;
    // the killed instance held candles it never acked: the survivor must take them over
    const [, , , owners] = (await redis.xpending(`${ns}${Streams.MarketData}`, 'strategy')) as [number, string, string, [string, string][] | null];
    expect(Number(owners?.find(([consumer]) => consumer === 'strategy-a')?.[1] ?? 0)).toBeGreaterThan(0);
    const rest = candles.slice(240);
    for (let i = 0; i < rest.length; i += 40) await market.publish(rest.slice(i, i + 40));
    await settled(candles[candles.length - 1].time);

    const rows = await signalRows();
    expect(rows.map(({ time, target }) => ({ time, target }))).toEqual(expected);
    const events = await publishedSignals();
    const distinct = new Map(events.map((e) => [e.id, e]));
    const bySignal = new Map([...distinct.values()].map((e) => [e.payload.signalId, e]));
    expect(bySignal.size).toBe(distinct.size); // no signal published under two event ids
    expect([...bySignal.values()].map((e) => ({ time: Date.parse(e.payload.candleTime), target: e.payload.target })).sort((x, y) => x.time - y.time)).toEqual(expected);
    expect([...bySignal.keys()].sort()).toEqual(rows.map((r) => r.id).sort());
    const first = bySignal.get(rows[0].id)!.payload;
    const deciding = candles.find((c) => c.time === rows[0].time)!;
    expect(first).toMatchObject({ botId: bot.id, userId: owner.userId, strategy: 'sma_cross', exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1m', price: deciding.exact.close });
    expect(first.signalId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Object.keys(first.indicators).sort()).toEqual(['sma_fast', 'sma_slow']);
    expect((await botState()).state.target).toBe(expected[expected.length - 1].target);
    const heartbeat = (await pg.query(`SELECT last_heartbeat FROM strategy.bots WHERE id = $1`, [bot.id])).rows[0].last_heartbeat as Date;
    expect(heartbeat).toBeInstanceOf(Date);
  });

  it('a redelivered candle, or the same candle under another event id, produces no second signal', async () => {
    const before = await signalRows();
    const eventsBefore = (await publishedSignals()).length;
    const crossCandle = candles.find((c) => c.time === expected[expected.length - 1].time)!;
    const again = market.event(crossCandle);
    await market.publishRaw(JSON.stringify(again));
    await market.publishRaw(JSON.stringify(again)); // the very same envelope twice
    await market.publishRaw(JSON.stringify(market.event(candles[candles.length - 1])));
    await settled(candles[candles.length - 1].time);
    expect(await signalRows()).toEqual(before);
    expect((await publishedSignals()).length).toBe(eventsBefore);
  });

  it('sends an invalid MarketCandleClosed to the DLQ and keeps consuming', async () => {
    const bad = market.event(candles[0]);
    const invalid = { ...bad, payload: { ...bad.payload, high: -5, openTime: 'yesterday' } };
    await market.publishRaw(JSON.stringify(invalid));
    const dead = await waitFor(
      async () => {
        const entries = await redis.xrange(`${ns}${Streams.DeadLetter}`, '-', '+');
        return entries.map(([, f]) => JSON.parse(f[1]) as { payload: { reason: string; raw: string; service: string } }).find((e) => e.payload.raw.includes(bad.id));
      },
      { what: 'the invalid candle on events:dlq' },
    );
    expect(dead.payload.service).toBe('strategy');
    expect(dead.payload.reason).toMatch(/invalid event/);
    await waitFor(() => groupDrained(redis, ns), { what: 'the group to ack the invalid entry' });
  });

  it('keeps bot_state across a restart and goes on deciding from it', async () => {
    const before = await botState();
    for (const i of instances.splice(0)) if (i.process.child.exitCode === null && i.process.child.signalCode === null) expect(await stopGracefully(i)).toBe(0);
    instances.push(await startStrategyService('strategy-c', env()));
    const view = await rpc.send(RpcPatterns.StrategyBotsGet, { caller: owner, botId: bot.id });
    expect(view.target).toBe(before.state.target);
    expect(view.lastCandleTime).toBe(before.last_candle_time!.toISOString());

    const more = shippedMinutes().slice(0, 720);
    const all = expectedSmaCrossSignals(
      more.map((c) => c.close),
      more.map((c) => c.time),
      FAST,
      SLOW,
    );
    expect(all.length).toBeGreaterThan(expected.length);
    await market.publish(more.slice(candles.length));
    await settled(more[more.length - 1].time);
    expect((await signalRows()).map(({ time, target }) => ({ time, target }))).toEqual(all);
    const metrics = (await (await fetch(`http://127.0.0.1:${instances[0].port}/metrics`)).json()) as { evaluation: { candles: number; signals: number } };
    expect(metrics.evaluation.candles).toBe(more.length - candles.length);
    expect(metrics.evaluation.signals).toBe(all.length - expected.length);
  });

  it('accumulates configuration versions with effective_from, and the history is queryable', async () => {
    await rpc.send(RpcPatterns.StrategyBotsUpdate, { caller: owner, botId: bot.id, stopLossPct: '2.5', changeReason: 'add a stop' });
    const updated = await rpc.send(RpcPatterns.StrategyBotsUpdate, { caller: owner, botId: bot.id, strategyParams: { slow: 30 } });
    expect(updated).toMatchObject({ stopLossPct: '2.50', strategyParams: { fast: FAST, slow: 30, allowShort: false } });
    await expect(rpc.send(RpcPatterns.StrategyBotsUpdate, { caller: owner, botId: bot.id, strategyParams: { fast: 50 } })).rejects.toMatchObject({
      status: 400,
      code: 'INVALID_STRATEGY_PARAMS',
    });
    const history = (await rpc.send(RpcPatterns.StrategyBotsConfigurations, { caller: owner, botId: bot.id })).items;
    expect(history.map((h) => h.version)).toEqual([3, 2, 1]);
    expect(history.map((h) => h.changeReason)).toEqual(['updated', 'add a stop', 'created']);
    expect(history[2].config).toMatchObject({ strategyParams: { slow: SLOW }, stopLossPct: null });
    expect(history[0].config).toMatchObject({ strategyParams: { slow: 30 }, stopLossPct: '2.50' });
    expect(history[0].effectiveUntil).toBeNull();
    expect(history[1].effectiveUntil).toBe(history[0].effectiveFrom);
    expect(history[2].effectiveUntil).toBe(history[1].effectiveFrom);
    expect(Date.parse(history[0].effectiveFrom)).toBeGreaterThanOrEqual(Date.parse(history[1].effectiveFrom));
    await expect(rpc.send(RpcPatterns.StrategyBotsConfigurations, { caller: stranger, botId: bot.id })).rejects.toMatchObject({ status: 404 });
  });

  it('stops and archives: status changes go out as BotStatusChanged, signals list pages with a cursor', async () => {
    const page1 = await rpc.send(RpcPatterns.StrategySignalsList, { caller: owner, botId: bot.id, limit: 5 });
    expect(page1.items).toHaveLength(5);
    const page2 = await rpc.send(RpcPatterns.StrategySignalsList, { caller: owner, botId: bot.id, limit: 5, cursor: page1.next! });
    expect(page2.items[0].candleTime < page1.items[4].candleTime).toBe(true);
    // A new capital is announced (status unchanged); other settings changes announce nothing.
    expect((await rpc.send(RpcPatterns.StrategyBotsUpdate, { caller: owner, botId: bot.id, initialCapital: '1500.5' })).initialCapital).toBe('1500.50000000');
    expect((await rpc.send(RpcPatterns.StrategyBotsStop, { caller: owner, botId: bot.id })).status).toBe('stopped');
    expect((await rpc.send(RpcPatterns.StrategyBotsArchive, { caller: owner, botId: bot.id })).status).toBe('archived');
    expect((await rpc.send(RpcPatterns.StrategyBotsList, { caller: owner })).items).toEqual([]);
    expect((await rpc.send(RpcPatterns.StrategyBotsList, { caller: owner, includeArchived: true })).items.map((b) => b.id)).toEqual([bot.id]);
    await waitFor(
      async () => {
        const statuses = (await published()).filter((e) => e.type === BotStatusChanged.TYPE && e.payload.botId === bot.id).map((e) => `${String(e.payload.status)}@${String(e.payload.initialCapital)}`);
        return statuses.join(',') === 'created@1000,running@1000,running@1500.5,stopped@1500.5,stopped@1500.5' ? statuses : undefined;
      },
      { what: 'BotStatusChanged created, running, running (capital changed), stopped, stopped (archived), each with the capital' },
    );
  });
});
