import { execFileSync } from 'node:child_process';
import path from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { v7 } from 'uuid';
import { BotStatusChanged, PositionChanged, RiskLimitBreached, RiskLimitKind, RiskPreTradeCheck, RpcCaller, RpcPatterns, Streams, TradeExecuted, createEvent } from '@trading/contracts';
import { RpcClient, RpcRemoteError, StreamPublisher } from '@trading/streams';
import { createTestDatabase, freePort, httpStatus, repoRoot, spawnNode, SpawnedProcess, TestDatabase, testRedisUrl, uniqueRedisNamespace, waitFor } from '@trading/testing';

/**
 * The risk service as a process on its own database and Redis namespace: limits and states over RPC, the book fed by
 * events:trades, a breach halting the bot with RiskLimitBreached on events:risk, the kill switch, REDUCING, and the
 * book rebuilt from the database after a restart.
 */
describe('risk service', () => {
  let db: TestDatabase;
  let pg: Client;
  let rpc: RpcClient;
  let publisher: StreamPublisher;
  let service: SpawnedProcess | undefined;
  const redis = new Redis(testRedisUrl());
  const ns = uniqueRedisNamespace('risk');
  const userId = v7();
  const otherUserId = v7();
  const adminId = v7();
  const user: RpcCaller = { userId, role: 'trader' };
  const admin: RpcCaller = { userId: adminId, role: 'admin' };
  const stranger: RpcCaller = { userId: otherUserId, role: 'trader' };

  async function start(): Promise<void> {
    const port = await freePort();
    service = spawnNode('dist/apps/risk/src/main.js', [], {
      PORT: String(port),
      DATABASE_URL: db.url,
      REDIS_URL: testRedisUrl(),
      REDIS_NAMESPACE: ns,
      LOG_LEVEL: 'error',
      RISK_DEFAULT_STARTING_EQUITY: '10000',
    });
    await waitFor(async () => (await httpStatus(`http://127.0.0.1:${port}/health/ready`)) === 200, { what: 'risk to be ready', timeoutMs: 30_000 }).catch((error: Error) => {
      throw new Error(`${error.message}\n${service?.output().slice(-3000)}`);
    });
  }

  async function stop(): Promise<void> {
    if (!service) return;
    service.child.kill('SIGTERM');
    expect((await service.exited).code).toBe(0);
    service = undefined;
  }

  /** Publishes to events:trades and waits until risk committed it (its processed_events row). */
  async function feed(...events: (TradeExecuted.Event | PositionChanged.Event)[]): Promise<void> {
    for (const event of events) await publisher.publish(Streams.Trades, event);
    await waitFor(
      async () => {
        const { rows } = await pg.query<{ n: number }>(`SELECT count(*)::int AS n FROM risk.processed_events WHERE event_id = ANY($1::uuid[])`, [events.map((e) => e.id)]);
        return rows[0]!.n === events.length;
      },
      { what: 'risk to consume the events' },
    );
  }

  const trade = (botId: string, realizedPnl: string, side: 'buy' | 'sell' = 'sell') =>
    createEvent(
      TradeExecuted.TYPE,
      { tradeId: v7(), orderId: v7(), botId, userId, exchange: 'paper', symbol: 'BTC/USDT', side, mode: 'paper', price: '20000', quantity: '0.1', fee: '0', feeCurrency: 'USDT', realizedPnl, executedAt: new Date().toISOString() },
      { source: 'trading-engine' },
    );
  const position = (botId: string, side: 'long' | 'short' | 'flat', quantity: string) =>
    createEvent(
      PositionChanged.TYPE,
      { botId, userId, exchange: 'paper', symbol: 'BTC/USDT', mode: 'paper', side, quantity, avgEntryPrice: side === 'flat' ? null : '20000', realizedPnl: '0', unrealizedPnl: '0', markPrice: '20000', tradeId: null, changedAt: new Date().toISOString() },
      { source: 'trading-engine' },
    );
  const positionOn = (botId: string, symbol: string, quantity: string, price: string) =>
    createEvent(
      PositionChanged.TYPE,
      { botId, userId, exchange: 'paper', symbol, mode: 'paper', side: 'long', quantity, avgEntryPrice: price, realizedPnl: '0', unrealizedPnl: '0', markPrice: price, tradeId: null, changedAt: new Date().toISOString() },
      { source: 'trading-engine' },
    );
  const tradeAt = (botId: string, realizedPnl: string, executedAt: Date) => {
    const event = trade(botId, realizedPnl);
    return { ...event, payload: { ...event.payload, executedAt: executedAt.toISOString() } };
  };
  const check = (botId: string, overrides: Partial<RiskPreTradeCheck.Request> = {}) =>
    rpc.send(RpcPatterns.RiskPreTradeCheck, { botId, userId, exchange: 'paper', symbol: 'BTC/USDT', side: 'buy', orderType: 'market', quantity: '0.1', price: '20000', ...overrides }, { timeoutMs: 5000 });
  const riskEvents = async () => (await redis.xrange(`${ns}${Streams.Risk}`, '-', '+')).map(([, f]) => JSON.parse(f[1]!) as RiskLimitBreached.Event);

  beforeAll(async () => {
    execFileSync(process.execPath, [path.join(repoRoot, 'scripts/build.js'), '--quiet']);
    db = await createTestDatabase('risk_service');
    execFileSync(process.execPath, [path.join(repoRoot, 'dist/apps/risk/src/migrate.js'), 'up'], { env: { ...process.env, DATABASE_URL: db.url } });
    pg = new Client({ connectionString: db.url });
    await pg.connect();
    rpc = new RpcClient({ redisUrl: testRedisUrl(), namespace: ns });
    publisher = StreamPublisher.connect({ redisUrl: testRedisUrl(), namespace: ns });
    await start();
  }, 90_000);

  afterAll(async () => {
    service?.child.kill('SIGKILL');
    await rpc?.close();
    await publisher?.onModuleDestroy?.();
    await pg?.end();
    const keys = await redis.keys(`${ns}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await db?.drop();
  });

  describe('each limit at its boundary, through the running service', () => {
    // Worked by hand (as in pre-trade-check.spec.ts): capital 10 000; 0.1 BTC @ 20 000 (2 000) and 1 ETH @ 1 000 held;
    // the order buys 0.1 BTC @ 20 000: BTC position 4 000 (40 % of equity), exposure 5 000 (leverage 0.5), 2 positions.
    const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
    const cases: { limitType: RiskLimitKind; allowedAt: string; deniedAt: string; events?: (botId: string) => (TradeExecuted.Event | PositionChanged.Event)[]; order?: Partial<RiskPreTradeCheck.Request>; reason: string }[] = [
      { limitType: 'max_position_size', allowedAt: '4000', deniedAt: '3999.99999999', reason: 'MAX_POSITION_SIZE' },
      { limitType: 'max_position_pct', allowedAt: '40', deniedAt: '39.99999999', reason: 'MAX_POSITION_PCT' },
      { limitType: 'max_exposure', allowedAt: '5000', deniedAt: '4999.99999999', reason: 'MAX_EXPOSURE' },
      { limitType: 'max_leverage', allowedAt: '0.5', deniedAt: '0.49999999', reason: 'MAX_LEVERAGE' },
      { limitType: 'max_open_positions', allowedAt: '3', deniedAt: '2', order: { symbol: 'SOL/USDT', quantity: '1', price: '100' }, reason: 'MAX_OPEN_POSITIONS' },
      { limitType: 'max_trades_per_day', allowedAt: '5', deniedAt: '4', events: (b) => [0, 1, 2, 3].map(() => tradeAt(b, '0', new Date())), reason: 'MAX_TRADES_PER_DAY' },
      { limitType: 'max_daily_loss_pct', allowedAt: '2.50000001', deniedAt: '2.5', events: (b) => [tradeAt(b, '-250', new Date())], reason: 'DAILY_LOSS_LIMIT' },
      { limitType: 'max_weekly_loss_pct', allowedAt: '2.50000001', deniedAt: '2.5', events: (b) => [tradeAt(b, '-250', new Date())], reason: 'WEEKLY_LOSS_LIMIT' },
      { limitType: 'max_drawdown_pct', allowedAt: '10.00000001', deniedAt: '10', events: (b) => [tradeAt(b, '500', new Date()), tradeAt(b, '-1050', new Date())], reason: 'MAX_DRAWDOWN' },
      { limitType: 'daily_profit_target_pct', allowedAt: '3.00000001', deniedAt: '3', events: (b) => [tradeAt(b, '300', new Date())], reason: 'DAILY_PROFIT_TARGET' },
      // A losing close 30.5 minutes ago: a 30-minute cooldown is over, a 31-minute one is not.
      { limitType: 'cooldown_after_stop_loss_minutes', allowedAt: '30', deniedAt: '31', events: (b) => [tradeAt(b, '-1', minutesAgo(30.5))], reason: 'COOLDOWN_AFTER_LOSS' },
    ];

    it.each(cases)('$limitType: allowed at $allowedAt, denied at $deniedAt', async ({ limitType, allowedAt, deniedAt, events, order, reason }) => {
      const botId = v7();
      await feed(positionOn(botId, 'BTC/USDT', '0.1', '20000'), positionOn(botId, 'ETH/USDT', '1', '1000'), ...(events?.(botId) ?? []));
      // Limits set after the events: monitoring (which halts at a breach) does not run until the next event.
      await rpc.send(RpcPatterns.RiskLimitsSet, { caller: user, scope: 'bot', scopeId: botId, limitType, value: allowedAt });
      expect(await check(botId, order)).toEqual({ approved: true, reasons: [], tradingState: 'ACTIVE' });
      await rpc.send(RpcPatterns.RiskLimitsSet, { caller: user, scope: 'bot', scopeId: botId, limitType, value: deniedAt });
      expect(await check(botId, order)).toEqual({ approved: false, reasons: [reason], tradingState: 'ACTIVE' });
    });
  });

  it('denies one unit over a position-size limit and allows the limit itself, over RPC', async () => {
    const botId = v7();
    await feed(position(botId, 'long', '0.1'));
    // Holding 0.1 BTC; buying 0.1 more @ 20 000 makes a 4 000 position.
    await rpc.send(RpcPatterns.RiskLimitsSet, { caller: user, scope: 'bot', scopeId: botId, limitType: 'max_position_size', value: '4000' });
    expect(await check(botId)).toEqual({ approved: true, reasons: [], tradingState: 'ACTIVE' });
    await rpc.send(RpcPatterns.RiskLimitsSet, { caller: user, scope: 'bot', scopeId: botId, limitType: 'max_position_size', value: '3999.99999999' });
    expect(await check(botId)).toEqual({ approved: false, reasons: ['MAX_POSITION_SIZE'], tradingState: 'ACTIVE' });
    const listed = await rpc.send(RpcPatterns.RiskLimitsList, { caller: user, scope: 'bot', scopeId: botId });
    expect(listed.items.map((l) => [l.limitType, l.value])).toEqual([['max_position_size', '3999.99999999']]);
  });

  it("answers another user's bot as not found and refuses global limits to non-admins", async () => {
    const botId = v7();
    await feed(position(botId, 'long', '0.1'));
    await expect(rpc.send(RpcPatterns.RiskLimitsList, { caller: stranger, scope: 'bot', scopeId: botId })).rejects.toMatchObject({ status: 404 });
    const refused = await rpc.send(RpcPatterns.RiskLimitsSet, { caller: user, scope: 'global', scopeId: null, limitType: 'max_leverage', value: '3' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RpcRemoteError);
    expect(refused).toMatchObject({ status: 403 });
  });

  it('warns at 80 % and 95 %, then halts the bot at the daily loss limit and publishes RiskLimitBreached', async () => {
    const botId = v7();
    await feed(position(botId, 'flat', '0'));
    await rpc.send(RpcPatterns.RiskLimitsSet, { caller: user, scope: 'bot', scopeId: botId, limitType: 'max_daily_loss_pct', value: '5', actionOnBreach: 'flatten' });
    // Capital 10 000: -400 is 4 % (80 % of the limit), -80 more is 4.8 % (96 %), -20 more is exactly 5 %.
    await feed(trade(botId, '-400'));
    await feed(trade(botId, '-80'));
    expect(await check(botId)).toMatchObject({ approved: true });
    await feed(trade(botId, '-20'));

    const { rows } = await pg.query(`SELECT severity, threshold_pct::text AS pct, action_taken FROM risk.risk_events WHERE bot_id = $1 ORDER BY event_time, id`, [botId]);
    expect(rows).toEqual([
      { severity: 'warning', pct: '80.00', action_taken: 'warning_recorded' },
      { severity: 'warning', pct: '95.00', action_taken: 'warning_recorded' },
      { severity: 'breach', pct: '100.00', action_taken: 'trading_halted_flatten_requested' },
    ]);
    expect(await check(botId, { side: 'sell' })).toEqual({ approved: false, reasons: ['TRADING_HALTED'], tradingState: 'HALTED' });
    expect(await rpc.send(RpcPatterns.RiskTradingStateGet, { caller: user, scope: 'bot', scopeId: botId })).toMatchObject({ state: 'HALTED', changedBy: 'risk' });

    const metrics = await pg.query(
      `SELECT starting_equity::text AS start, ending_equity::text AS "end", daily_pnl::text AS pnl, daily_pnl_pct::text AS pct, total_trades, losing_trades, win_rate::text AS win_rate,
              gross_loss::text AS gross_loss, largest_loss::text AS largest_loss, max_drawdown_pct::text AS dd
         FROM risk.risk_metrics WHERE bot_id = $1`,
      [botId],
    );
    expect(metrics.rows).toEqual([
      { start: '10000.00000000', end: '9500.00000000', pnl: '-500.00000000', pct: '-5.000000', total_trades: 3, losing_trades: 3, win_rate: '0.0000', gross_loss: '-500.00000000', largest_loss: '-400.00000000', dd: '5.000000' },
    ]);

    const breach = await waitFor(async () => (await riskEvents()).find((e) => e.payload.scopeId === botId), { what: 'RiskLimitBreached on events:risk' });
    expect(breach.payload).toMatchObject({ scope: 'bot', userId, limitType: 'MAX_DAILY_LOSS', current: '5', limit: '5', action: 'CLOSE_POSITIONS', state: 'HALTED' });
  });

  it('reports a weekly loss breach as MAX_WEEKLY_LOSS', async () => {
    const botId = v7();
    await feed(position(botId, 'flat', '0'));
    await rpc.send(RpcPatterns.RiskLimitsSet, { caller: user, scope: 'bot', scopeId: botId, limitType: 'max_weekly_loss_pct', value: '3', actionOnBreach: 'reduce' });
    await feed(trade(botId, '-300')); // 3 % of 10 000
    const breach = await waitFor(async () => (await riskEvents()).find((e) => e.payload.scopeId === botId), { what: 'RiskLimitBreached on events:risk' });
    expect(breach.payload).toMatchObject({ limitType: 'MAX_WEEKLY_LOSS', current: '3', limit: '3', action: 'REDUCE_ONLY', state: 'REDUCING' });
  });

  it("measures percent limits against the bot's capital from its bot events, and takes a new capital as neither profit nor loss", async () => {
    const botId = v7();
    const botEvent = (status: 'created' | 'running', initialCapital: string) =>
      createEvent(
        BotStatusChanged.TYPE,
        { botId, userId, previousStatus: status === 'created' ? null : 'running', status, mode: 'paper', changedBy: 'user', reason: null, changedAt: new Date().toISOString(), initialCapital },
        { source: 'strategy' },
      );
    const capitalStored = (capital: string) =>
      waitFor(async () => (await pg.query(`SELECT 1 FROM risk.bot_accounts WHERE bot_id = $1 AND capital = $2`, [botId, capital])).rowCount === 1, { what: `capital ${capital} stored` });
    await publisher.publish(Streams.StrategySignals, botEvent('created', '2000'));
    await capitalStored('2000');
    // -60 is 3 % of 2 000 (0.6 % of the default 10 000); the limits are set after it, so nothing halts the bot.
    await feed(trade(botId, '-60'));
    await rpc.send(RpcPatterns.RiskLimitsSet, { caller: user, scope: 'bot', scopeId: botId, limitType: 'max_daily_loss_pct', value: '3.00000001' });
    expect(await check(botId)).toEqual({ approved: true, reasons: [], tradingState: 'ACTIVE' });
    await rpc.send(RpcPatterns.RiskLimitsSet, { caller: user, scope: 'bot', scopeId: botId, limitType: 'max_daily_loss_pct', value: '3' });
    expect(await check(botId)).toEqual({ approved: false, reasons: ['DAILY_LOSS_LIMIT'], tradingState: 'ACTIVE' });
    // Drawdown from the 2 000 peak: 3 %.
    await rpc.send(RpcPatterns.RiskLimitsSet, { caller: user, scope: 'bot', scopeId: botId, limitType: 'max_drawdown_pct', value: '3' });
    expect(await check(botId)).toEqual({ approved: false, reasons: ['DAILY_LOSS_LIMIT', 'MAX_DRAWDOWN'], tradingState: 'ACTIVE' });
    const metrics = await pg.query(`SELECT starting_equity::text AS start, ending_equity::text AS "end", daily_pnl_pct::text AS pct FROM risk.risk_metrics WHERE bot_id = $1`, [botId]);
    expect(metrics.rows).toEqual([{ start: '2000.00000000', end: '1940.00000000', pct: '-3.000000' }]);

    // Capital 4 000: equity 3 940, day start 4 000: 60 is 1.5 % of the day and of the 4 000 peak.
    await publisher.publish(Streams.StrategySignals, botEvent('running', '4000'));
    await capitalStored('4000');
    expect(await check(botId)).toEqual({ approved: true, reasons: [], tradingState: 'ACTIVE' });
    // A restart loads the capital with the account.
    await stop();
    await start();
    expect(await check(botId)).toEqual({ approved: true, reasons: [], tradingState: 'ACTIVE' });
    await rpc.send(RpcPatterns.RiskLimitsSet, { caller: user, scope: 'bot', scopeId: botId, limitType: 'max_drawdown_pct', value: '1.5' });
    expect(await check(botId)).toEqual({ approved: false, reasons: ['MAX_DRAWDOWN'], tradingState: 'ACTIVE' });
  }, 60_000);

  it('HALTED on the global scope (kill switch) denies every order until set back to ACTIVE; only admins set it', async () => {
    const botId = v7();
    await feed(position(botId, 'long', '0.1'));
    await expect(rpc.send(RpcPatterns.RiskTradingStateSet, { caller: user, scope: 'global', scopeId: null, state: 'HALTED', reason: 'nope' })).rejects.toMatchObject({ status: 403 });
    await rpc.send(RpcPatterns.RiskTradingStateSet, { caller: admin, scope: 'global', scopeId: null, state: 'HALTED', reason: 'exchange incident' });
    expect(await check(botId)).toEqual({ approved: false, reasons: ['TRADING_HALTED'], tradingState: 'HALTED' });
    expect(await check(botId, { side: 'sell', quantity: '0.1' })).toMatchObject({ approved: false, reasons: ['TRADING_HALTED'] });
    const killSwitch = await waitFor(async () => (await riskEvents()).find((e) => e.payload.limitType === 'KILL_SWITCH' && e.payload.scope === 'global'), { what: 'the kill switch event' });
    expect(killSwitch.payload).toMatchObject({ state: 'HALTED', action: 'HALT' });
    await rpc.send(RpcPatterns.RiskTradingStateSet, { caller: admin, scope: 'global', scopeId: null, state: 'ACTIVE', reason: null });
    expect(await check(botId)).toMatchObject({ approved: true });
  });

  it('REDUCING on the user allows only orders that shrink a position', async () => {
    const botId = v7();
    await feed(position(botId, 'long', '0.1'));
    await rpc.send(RpcPatterns.RiskTradingStateSet, { caller: user, scope: 'user', scopeId: userId, state: 'REDUCING', reason: 'winding down' });
    expect(await check(botId, { side: 'sell', quantity: '0.1' })).toEqual({ approved: true, reasons: [], tradingState: 'REDUCING' });
    expect(await check(botId, { side: 'sell', quantity: '0.2' })).toEqual({ approved: false, reasons: ['REDUCE_ONLY'], tradingState: 'REDUCING' });
    expect(await check(botId)).toMatchObject({ approved: false, reasons: ['REDUCE_ONLY'] });
    await rpc.send(RpcPatterns.RiskTradingStateSet, { caller: user, scope: 'user', scopeId: userId, state: 'ACTIVE', reason: null });
  });

  it('ignores a redelivered trade and rebuilds the book from the database after a restart', async () => {
    const botId = v7();
    await expect(rpc.send(RpcPatterns.RiskLimitsSet, { caller: user, scope: 'bot', scopeId: botId, limitType: 'max_trades_per_day', value: '2' })).rejects.toMatchObject({ status: 404 });
    await feed(position(botId, 'flat', '0'));
    await rpc.send(RpcPatterns.RiskLimitsSet, { caller: user, scope: 'bot', scopeId: botId, limitType: 'max_trades_per_day', value: '2' });
    const first = trade(botId, '10');
    await feed(first, position(botId, 'long', '0.1'));
    await publisher.publish(Streams.Trades, first); // redelivery: must not count twice
    await feed(trade(botId, '0', 'buy'));
    const { rows } = await pg.query(`SELECT day_trades, realized_pnl::text AS pnl FROM risk.bot_accounts WHERE bot_id = $1`, [botId]);
    expect(rows).toEqual([{ day_trades: 2, pnl: '10.00000000' }]);
    expect(await check(botId)).toMatchObject({ approved: false, reasons: ['MAX_TRADES_PER_DAY'] });
    expect(await check(botId, { side: 'sell', quantity: '0.1' })).toMatchObject({ approved: true });

    await stop();
    await start();
    expect(await check(botId)).toMatchObject({ approved: false, reasons: ['MAX_TRADES_PER_DAY'] });
    expect(await check(botId, { side: 'sell', quantity: '0.1' })).toMatchObject({ approved: true });
  }, 60_000);
});
