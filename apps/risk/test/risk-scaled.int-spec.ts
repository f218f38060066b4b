import { execFileSync } from 'node:child_process';
import path from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { v7 } from 'uuid';
import { PositionChanged, RiskLimitBreached, RiskPreTradeCheck, RpcCaller, RpcPatterns, Streams, TradeExecuted, createEvent } from '@trading/contracts';
import { RpcClient, StreamPublisher } from '@trading/streams';
import { createTestDatabase, freePort, httpStatus, repoRoot, spawnNode, SpawnedProcess, TestDatabase, testRedisUrl, uniqueRedisNamespace, waitFor } from '@trading/testing';

interface RiskMetrics {
  preTradeCheck: { checks: number };
  book: { limits: number; restrictedScopes: number; feed: { cursors: Record<string, string> | null } };
}
interface Instance {
  readonly name: string;
  readonly port: number;
  readonly process: SpawnedProcess;
}

const entryOrder = (id: string) => id.split('-').map(BigInt) as [bigint, bigint];
const atOrAfter = (a: string, b: string) => {
  const [am, as] = entryOrder(a);
  const [bm, bs] = entryOrder(b);
  return am > bm || (am === bm && as >= bs);
};

/**
 * Two risk processes on one database and Redis namespace, sharing the consumer group `risk`, as `--scale risk=2`
 * runs them: the group splits events:trades between them and each check is answered by whichever claims it, yet a
 * limit that only trips when every trade is counted denies on both; limits and the kill switch set through one reach
 * the other (a lost announcement at the next resync); a crossing is recorded once; a restarted instance holds the trades
 * the other handled while it was down.
 */
describe('risk service, two instances', () => {
  let db: TestDatabase;
  let pg: Client;
  let rpc: RpcClient;
  let publisher: StreamPublisher;
  const instances = new Map<string, Instance>();
  const redis = new Redis(testRedisUrl());
  const ns = uniqueRedisNamespace('risk-scaled');
  const userId = v7();
  const user: RpcCaller = { userId, role: 'trader' };
  const admin: RpcCaller = { userId: v7(), role: 'admin' };

  async function start(name: string): Promise<Instance> {
    const port = await freePort();
    const child = spawnNode('dist/apps/risk/src/main.js', [], {
      PORT: String(port),
      DATABASE_URL: db.url,
      DATABASE_POOL_SIZE: '4',
      REDIS_URL: testRedisUrl(),
      REDIS_NAMESPACE: ns,
      INSTANCE_ID: name,
      LOG_LEVEL: 'error',
      RISK_SETTINGS_RESYNC_MS: '300',
    });
    const instance = { name, port, process: child };
    instances.set(name, instance);
    await waitFor(async () => (await httpStatus(`http://127.0.0.1:${port}/health/ready`)) === 200, { what: `${name} to be ready`, timeoutMs: 30_000 }).catch((error: Error) => {
      throw new Error(`${error.message}\n${child.output().slice(-3000)}`);
    });
    return instance;
  }

  async function stop(name: string): Promise<void> {
    const instance = instances.get(name);
    if (!instance) return;
    instance.process.child.kill('SIGTERM');
    expect((await instance.process.exited).code).toBe(0);
    instances.delete(name);
  }

  async function riskMetrics(instance: Instance): Promise<RiskMetrics> {
    const res = await fetch(`http://127.0.0.1:${instance.port}/metrics`);
    return ((await res.json()) as { risk: RiskMetrics }).risk;
  }

  async function handledTrades(instance: Instance): Promise<number> {
    const res = await fetch(`http://127.0.0.1:${instance.port}/metrics`);
    const body = (await res.json()) as { streams: { byStream: Record<string, { processed: number } | undefined> } };
    return body.streams.byStream[Streams.Trades]?.processed ?? 0;
  }

  /** Until every running instance's book holds events:trades up to `entryId`. */
  async function everyBookHolds(entryId: string): Promise<void> {
    for (const instance of instances.values()) {
      await waitFor(async () => {
        const cursor = (await riskMetrics(instance)).book.feed.cursors?.[Streams.Trades];
        return cursor !== undefined && atOrAfter(cursor, entryId);
      }, { what: `${instance.name}'s book to hold ${entryId}` });
    }
  }

  /** Until every running instance has this many limits and restricted scopes. */
  async function everyInstanceHas(limits: number, restrictedScopes: number): Promise<void> {
    for (const instance of instances.values()) {
      await waitFor(async () => {
        const { book } = await riskMetrics(instance);
        return book.limits === limits && book.restrictedScopes === restrictedScopes;
      }, { what: `${instance.name} to hold ${limits} limits and ${restrictedScopes} restricted scopes` });
    }
  }

  /** Publishes one event and waits until one instance's group handler committed it. */
  async function feedOne(event: TradeExecuted.Event | PositionChanged.Event): Promise<string> {
    const entryId = await publisher.publish(Streams.Trades, event);
    await waitFor(async () => (await pg.query(`SELECT 1 FROM risk.processed_events WHERE event_id = $1`, [event.id])).rowCount === 1, { what: `risk to consume ${event.type}` });
    return entryId;
  }

  const trade = (botId: string, realizedPnl: string) =>
    createEvent(
      TradeExecuted.TYPE,
      { tradeId: v7(), orderId: v7(), botId, userId, exchange: 'paper', symbol: 'BTC/USDT', side: 'sell', mode: 'paper', price: '20000', quantity: '0.1', fee: '0', feeCurrency: 'USDT', realizedPnl, executedAt: new Date().toISOString() },
      { source: 'trading-engine' },
    );
  const flat = (botId: string) =>
    createEvent(
      PositionChanged.TYPE,
      { botId, userId, exchange: 'paper', symbol: 'BTC/USDT', mode: 'paper', side: 'flat', quantity: '0', avgEntryPrice: null, realizedPnl: '0', unrealizedPnl: '0', markPrice: '20000', tradeId: null, changedAt: new Date().toISOString() },
      { source: 'trading-engine' },
    );
  const check = (botId: string) =>
    rpc.send(RpcPatterns.RiskPreTradeCheck, { botId, userId, exchange: 'paper', symbol: 'BTC/USDT', side: 'buy', orderType: 'market', quantity: '0.01', price: '20000' }, { timeoutMs: 5000 });

  /**
   * At least `n` checks, and more (up to 20 x n) until every instance answered some (whichever claims a request
   * answers it); the answers, and how many each instance answered (its check counter).
   */
  async function checks(botId: string, n: number): Promise<{ answers: RiskPreTradeCheck.Response[]; byInstance: Record<string, number> }> {
    const before = new Map<string, number>();
    for (const instance of instances.values()) before.set(instance.name, (await riskMetrics(instance)).preTradeCheck.checks);
    const answered = async () => {
      const byInstance: Record<string, number> = {};
      for (const instance of instances.values()) byInstance[instance.name] = (await riskMetrics(instance)).preTradeCheck.checks - (before.get(instance.name) ?? 0);
      return byInstance;
    };
    const answers: RiskPreTradeCheck.Response[] = [];
    for (let i = 0; i < n; i++) answers.push(await check(botId));
    while (answers.length < 20 * n && Math.min(...Object.values(await answered())) === 0) {
      for (let i = 0; i < 10; i++) answers.push(await check(botId));
    }
    return { answers, byInstance: await answered() };
  }

  beforeAll(async () => {
    execFileSync(process.execPath, [path.join(repoRoot, 'scripts/build.js'), '--quiet']);
    db = await createTestDatabase('risk_scaled');
    execFileSync(process.execPath, [path.join(repoRoot, 'dist/apps/risk/src/migrate.js'), 'up'], { env: { ...process.env, DATABASE_URL: db.url } });
    pg = new Client({ connectionString: db.url });
    await pg.connect();
    rpc = new RpcClient({ redisUrl: testRedisUrl(), namespace: ns });
    publisher = StreamPublisher.connect({ redisUrl: testRedisUrl(), namespace: ns });
    await Promise.all([start('risk-a'), start('risk-b')]);
  }, 90_000);

  afterAll(async () => {
    for (const instance of instances.values()) instance.process.child.kill('SIGKILL');
    await rpc?.close();
    await publisher?.onModuleDestroy?.();
    await pg?.end();
    const keys = await redis.keys(`${ns}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await db?.drop();
  });

  it('counts every trade in both books: a trades-per-day limit denies on whichever instance answers', async () => {
    const botId = v7();
    await feedOne(flat(botId));
    await rpc.send(RpcPatterns.RiskLimitsSet, { caller: user, scope: 'bot', scopeId: botId, limitType: 'max_trades_per_day', value: '6' });
    await everyInstanceHas(1, 0);

    const handledBefore = await Promise.all([...instances.values()].map(handledTrades));
    let last = '';
    for (let i = 0; i < 6; i++) last = await feedOne(trade(botId, '0'));
    // An instance counts an entry once its handler returned, just after the commit feedOne waits for.
    const handled = await waitFor(async () => {
      const counts = (await Promise.all([...instances.values()].map(handledTrades))).map((n, i) => n - handledBefore[i]!);
      return counts.reduce((a, b) => a + b, 0) === 6 ? counts : undefined;
    }, { what: 'both instances to count the six trades they handled' });
    // The group split the six trades: neither instance's own handler saw enough of them to reach the limit alone.
    expect(Math.min(...handled)).toBeGreaterThan(0);

    await everyBookHolds(last);
    const { answers, byInstance } = await checks(botId, 100);
    // Six fills today + this order = 7 > 6, in every answer of both instances.
    expect(new Set(answers.map((a) => JSON.stringify(a)))).toEqual(new Set([JSON.stringify({ approved: false, reasons: ['MAX_TRADES_PER_DAY'], tradingState: 'ACTIVE' })]));
    expect(Object.values(byInstance).reduce((a, b) => a + b, 0)).toBe(answers.length);
    expect(Math.min(...Object.values(byInstance))).toBeGreaterThan(0);
    expect((await pg.query(`SELECT day_trades FROM risk.bot_accounts WHERE bot_id = $1`, [botId])).rows).toEqual([{ day_trades: 6 }]);
  });

  it('records each warning and the breach once although the trades crossing them went to both instances', async () => {
    const botId = v7();
    await feedOne(flat(botId));
    await rpc.send(RpcPatterns.RiskLimitsSet, { caller: user, scope: 'bot', scopeId: botId, limitType: 'max_daily_loss_pct', value: '5', actionOnBreach: 'halt' });
    await everyInstanceHas(2, 0);
    // Capital 10 000: -400 is 4 % (80 % of the limit), -10 stays there (4.1 %), -85 is 4.95 % (99 %), -5 is 5 % (the
    // breach), -10 more is beyond it. Each instance sees every crossing; only the first report is recorded.
    for (const pnl of ['-400', '-10', '-85', '-5', '-10']) await feedOne(trade(botId, pnl));

    const { rows } = await pg.query(`SELECT severity, threshold_pct::text AS pct FROM risk.risk_events WHERE bot_id = $1 ORDER BY event_time, id`, [botId]);
    expect(rows).toEqual([
      { severity: 'warning', pct: '80.00' },
      { severity: 'warning', pct: '95.00' },
      { severity: 'breach', pct: '100.00' },
    ]);
    const breaches = await waitFor(async () => {
      const entries = await redis.xrange(`${ns}${Streams.Risk}`, '-', '+');
      const mine = entries.map(([, f]) => JSON.parse(f[1]!) as RiskLimitBreached.Event).filter((e) => e.payload.scopeId === botId);
      return mine.length ? mine : undefined;
    }, { what: 'RiskLimitBreached on events:risk' });
    expect(breaches.map((e) => [e.payload.limitType, e.payload.state])).toEqual([['MAX_DAILY_LOSS', 'HALTED']]);
    // The breach halted the bot on the instance that recorded it; the other learns it too.
    await everyInstanceHas(2, 1);
    const { answers } = await checks(botId, 20);
    expect(answers.every((a) => a.approved === false && a.tradingState === 'HALTED')).toBe(true);
  });

  it('reaches both instances with the kill switch set through one, and with its release', async () => {
    const botId = v7();
    await feedOne(flat(botId));
    await rpc.send(RpcPatterns.RiskTradingStateSet, { caller: admin, scope: 'global', scopeId: null, state: 'HALTED', reason: 'incident' });
    await everyInstanceHas(2, 2);
    const halted = await checks(botId, 50);
    expect(halted.answers.every((a) => a.approved === false && a.reasons.join() === 'TRADING_HALTED' && a.tradingState === 'HALTED')).toBe(true);
    expect(Math.min(...Object.values(halted.byInstance))).toBeGreaterThan(0);

    await rpc.send(RpcPatterns.RiskTradingStateSet, { caller: admin, scope: 'global', scopeId: null, state: 'ACTIVE', reason: null });
    await everyInstanceHas(2, 1);
    const released = await checks(botId, 50);
    expect(released.answers.every((a) => a.approved && a.tradingState === 'ACTIVE')).toBe(true);
  });

  it('picks up a change whose announcement was lost at the next resync (the tables digest differently)', async () => {
    const botId = v7();
    await feedOne(flat(botId));
    // Written straight to the table: no instance announces it.
    await pg.query(`INSERT INTO risk.risk_limits (id, scope, scope_id, limit_type, value) VALUES ($1, 'bot', $2, 'max_position_size', '100')`, [v7(), botId]);
    await everyInstanceHas(3, 1);
    const { answers } = await checks(botId, 20);
    // 0.01 BTC at 20 000 = 200 > 100.
    expect(answers.every((a) => a.approved === false && a.reasons.join() === 'MAX_POSITION_SIZE')).toBe(true);
  });

  it('rebuilds a restarted instance from the database and the stream, with the trades the other handled meanwhile', async () => {
    const botId = v7();
    await feedOne(flat(botId));
    await rpc.send(RpcPatterns.RiskLimitsSet, { caller: user, scope: 'bot', scopeId: botId, limitType: 'max_trades_per_day', value: '3' });
    await everyInstanceHas(4, 1);
    await feedOne(trade(botId, '0'));

    await stop('risk-a');
    await feedOne(trade(botId, '0'));
    const last = await feedOne(trade(botId, '0'));
    await start('risk-a');
    await stop('risk-b');
    // Only the restarted instance answers now: three fills today (two of them handled by the other) + this order > 3.
    await everyBookHolds(last);
    const { answers, byInstance } = await checks(botId, 20);
    expect(byInstance).toEqual({ 'risk-a': 20 });
    expect(answers.every((a) => a.approved === false && a.reasons.join() === 'MAX_TRADES_PER_DAY')).toBe(true);
  }, 60_000);
});
