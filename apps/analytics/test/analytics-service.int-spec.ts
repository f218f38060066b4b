import { execFileSync } from 'node:child_process';
import path from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { v7 } from 'uuid';
import { AuditRecorded, BotStatusChanged, PositionChanged, RpcCaller, RpcPatterns, SignalEmitted, Streams, TradeExecuted, createEvent } from '@trading/contracts';
import { RpcClient, StreamPublisher } from '@trading/streams';
import {
  createTestDatabase,
  freePort,
  httpStatus,
  repoRoot,
  spawnNode,
  SpawnedProcess,
  startVictoriaMetrics,
  TestDatabase,
  testRedisUrl,
  uniqueRedisNamespace,
  VictoriaMetricsServer,
  waitFor,
} from '@trading/testing';

/**
 * The analytics service as a process: a hand-worked sequence of trades gives exactly the metrics of
 * apps/analytics/README.md (the same numbers as performance-math.spec.ts, starting equity 1 000), a redelivered event
 * changes nothing, the materialized views show the rows, audit events land in audit.*, InfluxDB points reach a real
 * server (VictoriaMetrics), and the RPC answers only the bot's owner.
 */
describe('analytics service', () => {
  let db: TestDatabase;
  let pg: Client;
  let vm: VictoriaMetricsServer;
  let rpc: RpcClient;
  let publisher: StreamPublisher;
  let service: SpawnedProcess | undefined;
  const redis = new Redis(testRedisUrl());
  const ns = uniqueRedisNamespace('analytics');
  const userId = v7();
  const botId = v7();
  const owner: RpcCaller = { userId, role: 'trader' };
  const stranger: RpcCaller = { userId: v7(), role: 'trader' };
  const admin: RpcCaller = { userId: v7(), role: 'admin' };
  const origin = { source: 'trading-engine' };

  const trade = (realizedPnl: string, at: string, side: 'buy' | 'sell' = 'sell') =>
    createEvent(
      TradeExecuted.TYPE,
      { tradeId: v7(), orderId: v7(), botId, userId, exchange: 'paper', symbol: 'BTC/USDT', side, mode: 'paper', price: '20000', quantity: '0.1', fee: '0.5', feeCurrency: 'USDT', realizedPnl, executedAt: at },
      origin,
    );
  const position = (quantity: string, unrealizedPnl: string, at: string) =>
    createEvent(
      PositionChanged.TYPE,
      { botId, userId, exchange: 'paper', symbol: 'BTC/USDT', mode: 'paper', side: 'long', quantity, avgEntryPrice: '20000', realizedPnl: '0', unrealizedPnl, markPrice: '20050', tradeId: null, changedAt: at },
      origin,
    );

  async function processed(ids: string[]): Promise<void> {
    await waitFor(
      async () => {
        const { rows } = await pg.query<{ n: number }>(`SELECT count(*)::int AS n FROM analytics.processed_events WHERE event_id = ANY($1::uuid[])`, [ids]);
        return rows[0]!.n === ids.length;
      },
      { what: 'analytics to consume the events', timeoutMs: 30_000 },
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${service?.output().slice(-3000)}`);
    });
  }

  const metricsRows = () =>
    pg.query(
      `SELECT bot_id, strategy, period, to_char(period_start, 'YYYY-MM-DD') AS start, to_char(period_end, 'YYYY-MM-DD') AS "end", total_trades, winning_trades, losing_trades,
              win_rate::text, avg_win::text, avg_loss::text, profit_factor::text, expectancy::text, total_pnl::text, total_fees::text, max_drawdown::text,
              sharpe_ratio::text, sortino_ratio::text, calmar_ratio::text, total_return::text
         FROM analytics.performance_metrics WHERE user_id = $1 AND period = 'overall' ORDER BY bot_id NULLS LAST, strategy NULLS LAST`,
      [userId],
    );

  beforeAll(async () => {
    execFileSync(process.execPath, [path.join(repoRoot, 'scripts/build.js'), '--quiet']);
    db = await createTestDatabase('analytics_service');
    execFileSync(process.execPath, [path.join(repoRoot, 'dist/apps/analytics/src/migrate.js'), 'up'], { env: { ...process.env, DATABASE_URL: db.url } });
    pg = new Client({ connectionString: db.url });
    await pg.connect();
    vm = await startVictoriaMetrics();
    rpc = new RpcClient({ redisUrl: testRedisUrl(), namespace: ns });
    publisher = StreamPublisher.connect({ redisUrl: testRedisUrl(), namespace: ns });
    const port = await freePort();
    service = spawnNode('dist/apps/analytics/src/main.js', [], {
      PORT: String(port),
      DATABASE_URL: db.url,
      REDIS_URL: testRedisUrl(),
      REDIS_NAMESPACE: ns,
      LOG_LEVEL: 'error',
      ANALYTICS_DEFAULT_STARTING_EQUITY: '1000',
      ANALYTICS_VIEW_REFRESH_DEBOUNCE_MS: '100',
      ANALYTICS_SYSTEM_METRICS_INTERVAL_MS: '300',
      INFLUX_URL: vm.url,
      INFLUX_TOKEN: 'test-token',
      INFLUX_FLUSH_INTERVAL_MS: '200',
      INSTANCE_ID: 'analytics-test-0',
    });
    await waitFor(async () => (await httpStatus(`http://127.0.0.1:${port}/health/ready`)) === 200, { what: 'analytics to be ready', timeoutMs: 30_000 }).catch((error: Error) => {
      throw new Error(`${error.message}\n${service?.output().slice(-3000)}`);
    });
  }, 90_000);

  afterAll(async () => {
    if (service) {
      service.child.kill('SIGTERM');
      await service.exited;
    }
    await rpc?.close();
    await publisher?.onModuleDestroy?.();
    await pg?.end();
    await vm?.stop();
    const keys = await redis.keys(`${ns}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await db?.drop();
  });

  const sequence = [
    trade('0', '2026-01-01T01:00:00.000Z', 'buy'),
    position('0.1', '0', '2026-01-01T01:00:00.000Z'),
    trade('100', '2026-01-01T02:00:00.000Z'),
    trade('-50', '2026-01-01T03:00:00.000Z'),
    trade('200', '2026-01-02T10:00:00.000Z'),
    trade('-150', '2026-01-03T10:00:00.000Z'),
    trade('0', '2026-01-03T11:00:00.000Z', 'buy'),
    position('0.1', '5', '2026-01-03T11:00:00.000Z'),
  ];

  it('computes the hand-worked metrics for the bot, its strategy and its user', async () => {
    const bot = createEvent(BotStatusChanged.TYPE, { botId, userId, previousStatus: 'created', status: 'running', mode: 'paper', changedBy: 'user', reason: null, changedAt: '2025-12-31T23:00:00.000Z' }, { source: 'strategy' });
    const signal = createEvent(
      SignalEmitted.TYPE,
      { signalId: `sig-${botId.slice(0, 8)}`, botId, userId, strategy: 'sma_cross', exchange: 'paper', symbol: 'BTC/USDT', timeframe: '1h', candleTime: '2026-01-01T00:00:00.000Z', target: 'long', price: '20000', reason: 'cross up', indicators: { fast: 1, slow: 2 } },
      { source: 'strategy' },
    );
    await publisher.publish(Streams.StrategySignals, bot);
    await publisher.publish(Streams.StrategySignals, signal);
    await processed([bot.id]);
    await waitFor(async () => (await pg.query(`SELECT 1 FROM analytics.bot_facts WHERE bot_id = $1 AND strategy = 'sma_cross'`, [botId])).rowCount === 1, { what: 'the strategy of the bot' });

    for (const event of sequence) await publisher.publish(Streams.Trades, event);
    await processed(sequence.map((e) => e.id));

    // See performance-math.spec.ts for the arithmetic; fees 6 x 0.5.
    const expected = {
      period: 'overall',
      start: '2026-01-01',
      end: '2026-01-03',
      total_trades: 6,
      winning_trades: 2,
      losing_trades: 2,
      win_rate: '50.00',
      avg_win: '150.00000000',
      avg_loss: '-100.00000000',
      profit_factor: '1.5000',
      expectancy: '25.00000000',
      total_pnl: '100.00000000',
      total_fees: '3.00000000',
      max_drawdown: '12.0000',
      sharpe_ratio: '4.9349',
      sortino_ratio: '11.0740',
      calmar_ratio: '122.1495',
      total_return: '10.0000',
    };
    expect((await metricsRows()).rows).toEqual([
      { bot_id: botId, strategy: null, ...expected },
      { bot_id: null, strategy: 'sma_cross', ...expected },
      { bot_id: null, strategy: null, ...expected },
    ]);

    const daily = await pg.query(`SELECT to_char(date, 'YYYY-MM-DD') AS date, trades, wins, losses, pnl::text FROM analytics.daily_performance WHERE bot_id = $1 ORDER BY date`, [botId]);
    expect(daily.rows).toEqual([
      { date: '2026-01-01', trades: 3, wins: 1, losses: 1, pnl: '50.00000000' },
      { date: '2026-01-02', trades: 1, wins: 1, losses: 0, pnl: '200.00000000' },
      { date: '2026-01-03', trades: 2, wins: 0, losses: 1, pnl: '-150.00000000' },
    ]);
    // The last point: capital 1 000 + realized 100 + unrealized 5.
    const curve = await rpc.send(RpcPatterns.AnalyticsEquityCurveGet, { caller: owner, botId });
    expect(curve.points.at(-1)).toEqual({ time: '2026-01-03T11:00:00.000Z', equity: '1105.00000000' });
    expect(curve.points.map((p) => p.equity)).toContain('1250.00000000');
  });

  it('changes nothing when an event is delivered again', async () => {
    const before = { metrics: (await metricsRows()).rows, trades: await pg.query(`SELECT count(*)::int AS n FROM analytics.trade_facts`) };
    const again = sequence[2]!;
    await publisher.publish(Streams.Trades, again);
    const marker = trade('0', '2026-01-03T12:00:00.000Z', 'buy');
    const other = { ...marker, payload: { ...marker.payload, botId: v7() } };
    await publisher.publish(Streams.Trades, other);
    await processed([other.id]);
    expect((await metricsRows()).rows.filter((r: { bot_id: string | null }) => r.bot_id === botId)).toEqual(before.metrics.filter((r: { bot_id: string | null }) => r.bot_id === botId));
    expect((await pg.query(`SELECT count(*)::int AS n FROM analytics.trade_facts`)).rows[0].n).toBe(before.trades.rows[0].n + 1);
  });

  it('shows the rows in the materialized views and answers the owner only', async () => {
    const days = await waitFor(
      async () => {
        const answer = await rpc.send(RpcPatterns.AnalyticsDailyList, { caller: owner, botId, from: '2026-01-01', to: '2026-01-31' });
        return answer.days.length === 3 ? answer.days : undefined;
      },
      { what: 'the daily_performance_summary view to be refreshed' },
    );
    expect(days.map((d) => [d.tradeDate, d.totalTrades, d.totalPnl, d.strategyName])).toEqual([
      ['2026-01-03', 2, '-150.00000000', 'sma_cross'],
      ['2026-01-02', 1, '200.00000000', 'sma_cross'],
      ['2026-01-01', 3, '50.00000000', 'sma_cross'],
    ]);
    const portfolio = await waitFor(async () => {
      const answer = await rpc.send(RpcPatterns.AnalyticsPortfolioGet, { caller: owner });
      return answer.positions.length === 1 ? answer : undefined;
    }, { what: 'the active_positions_summary view' });
    expect(portfolio.positions[0]).toMatchObject({ botId, symbol: 'BTC/USDT', side: 'long', size: '0.10000000', unrealizedPnl: '5.00000000' });
    // The user now has two bots (the second traded once, for nothing): capital 2 x 1 000 + realized 100 + unrealized 5.
    expect(portfolio.snapshot).toMatchObject({ totalEquity: '2105.00000000', totalRealizedPnl: '100.00000000', totalOpenPositions: 1, activeBots: 2 });

    const performance = await rpc.send(RpcPatterns.AnalyticsPerformanceGet, { caller: owner, botId });
    expect(performance.overall).toMatchObject({ winRate: '50.00', profitFactor: '1.5000', sharpeRatio: '4.9349' });
    expect(performance.daily.map((d) => d.periodStart)).toEqual(['2026-01-03', '2026-01-02', '2026-01-01']);
    await expect(rpc.send(RpcPatterns.AnalyticsPerformanceGet, { caller: stranger, botId })).rejects.toMatchObject({ status: 404 });
    await expect(rpc.send(RpcPatterns.AnalyticsEquityCurveGet, { caller: stranger, botId })).rejects.toMatchObject({ status: 404 });
  });

  it('stores audit events in audit.audit_logs and a data gap in audit.system_events; the log is admin only', async () => {
    const login = createEvent(
      AuditRecorded.TYPE,
      { actorUserId: userId, action: 'auth.login', resourceType: 'user', resourceId: userId, outcome: 'success', ip: '127.0.0.1', userAgent: 'jest', details: { method: 'password' }, recordedAt: new Date().toISOString() },
      { source: 'auth' },
    );
    const gap = createEvent(
      AuditRecorded.TYPE,
      { actorUserId: null, action: 'market.data_gap', resourceType: 'candle_series', resourceId: 'binance:BTC/USDT:1m', outcome: 'failure', ip: null, userAgent: null, details: { symbol: 'BTC/USDT', missingCandles: 3 }, recordedAt: new Date().toISOString() },
      { source: 'market-data' },
    );
    await publisher.publish(Streams.Audit, login);
    await publisher.publish(Streams.Audit, gap);
    await publisher.publish(Streams.Audit, login);
    const logs = await waitFor(async () => {
      const { rows } = await pg.query(`SELECT user_id, action, resource_type, host(ip_address) AS ip FROM audit.audit_logs WHERE event_id = $1`, [login.id]);
      return rows.length ? rows : undefined;
    }, { what: 'the audit log entry' });
    expect(logs).toEqual([{ user_id: userId, action: 'auth.login', resource_type: 'user', ip: '127.0.0.1' }]);
    const gaps = await waitFor(async () => {
      const { rows } = await pg.query(`SELECT event_type, event_level, symbol FROM audit.system_events WHERE event_id = $1`, [gap.id]);
      return rows.length ? rows : undefined;
    }, { what: 'the data gap system event' });
    expect(gaps).toEqual([{ event_type: 'DATA_GAP', event_level: 'WARNING', symbol: 'BTC/USDT' }]);

    await expect(rpc.send(RpcPatterns.AnalyticsAuditList, { caller: owner, limit: 10 })).rejects.toMatchObject({ status: 403 });
    const page = await rpc.send(RpcPatterns.AnalyticsAuditList, { caller: admin, userId, limit: 10 });
    expect(page.items.map((i) => i.action)).toEqual(['auth.login']);
  });

  it("starts a bot's equity, returns and drawdown from its own capital (BotStatusChanged.initialCapital), and follows a new one", async () => {
    const otherUser = v7();
    const otherBot = v7();
    const botEvent = (status: 'created' | 'running', initialCapital: string, changedAt: string) =>
      createEvent(BotStatusChanged.TYPE, { botId: otherBot, userId: otherUser, previousStatus: null, status, mode: 'paper', changedBy: 'user', reason: null, changedAt, initialCapital }, { source: 'strategy' });
    const fill = (realizedPnl: string, at: string, side: 'buy' | 'sell' = 'sell') => {
      const event = trade(realizedPnl, at, side);
      return { ...event, payload: { ...event.payload, botId: otherBot, userId: otherUser, fee: '0' } };
    };
    const overall = async () =>
      (
        await pg.query(
          `SELECT bot_id, max_drawdown::text, total_return::text FROM analytics.performance_metrics WHERE user_id = $1 AND period = 'overall' ORDER BY bot_id NULLS LAST`,
          [otherUser],
        )
      ).rows;

    const created = botEvent('created', '2000', '2026-02-01T00:00:00.000Z');
    await publisher.publish(Streams.StrategySignals, created);
    await processed([created.id]);
    const fills = [fill('0', '2026-02-01T01:00:00.000Z', 'buy'), fill('200', '2026-02-01T02:00:00.000Z'), fill('-300', '2026-02-02T02:00:00.000Z')];
    for (const event of fills) await publisher.publish(Streams.Trades, event);
    await processed(fills.map((e) => e.id));
    // Capital 2 000 (not the default 1 000): 2 000 -> 2 200 -> 1 900; drawdown 300 / 2 200 = 13.6364 %, return -5 %.
    expect(await overall()).toEqual([
      { bot_id: otherBot, max_drawdown: '13.6364', total_return: '-5.0000' },
      { bot_id: null, max_drawdown: '13.6364', total_return: '-5.0000' },
    ]);
    const curve = await rpc.send(RpcPatterns.AnalyticsEquityCurveGet, { caller: { userId: otherUser, role: 'trader' }, botId: otherBot });
    expect(curve.points.map((p) => p.equity)).toEqual(['2000.00000000', '2200.00000000', '1900.00000000']);
    const snapshot = await pg.query(`SELECT total_equity::text AS equity FROM analytics.portfolio_snapshots WHERE user_id = $1 AND bot_id IS NULL ORDER BY "timestamp" DESC LIMIT 1`, [otherUser]);
    expect(snapshot.rows).toEqual([{ equity: '1900.00000000' }]);

    // Capital 3 000 from then on: the next fill recomputes from it, 3 000 -> 3 200 -> 2 900: 9.375 %, -3.3333 %.
    const raised = botEvent('running', '3000', '2026-02-03T00:00:00.000Z');
    await publisher.publish(Streams.StrategySignals, raised);
    await processed([raised.id]);
    const next = fill('0', '2026-02-03T01:00:00.000Z', 'buy');
    await publisher.publish(Streams.Trades, next);
    await processed([next.id]);
    expect(await overall()).toEqual([
      { bot_id: otherBot, max_drawdown: '9.3750', total_return: '-3.3333' },
      { bot_id: null, max_drawdown: '9.3750', total_return: '-3.3333' },
    ]);
  });

  it('writes portfolio, performance and system points to the InfluxDB-compatible server', async () => {
    const equity = await waitFor(async () => {
      const series = await vm.exportSeries(`portfolio_metrics_equity{bot_id="${botId}"}`);
      return series.length && series[0]!.values.includes(1105) ? series : undefined;
    }, { what: 'portfolio_metrics points', timeoutMs: 20_000 });
    expect(equity[0]!.metric).toMatchObject({ service: 'analytics', bot_id: botId });
    const winRate = await waitFor(async () => {
      const series = await vm.exportSeries(`trading_performance_win_rate{bot_id="${botId}"}`);
      return series.length ? series : undefined;
    }, { what: 'trading_performance points' });
    expect(winRate[0]!.values.at(-1)).toBe(50);
    const system = await waitFor(async () => {
      const series = await vm.exportSeries(`system_metrics_events_per_second{service="analytics"}`);
      return series.length ? series : undefined;
    }, { what: 'system_metrics points' });
    expect(system[0]!.values.length).toBeGreaterThan(0);
    expect(system[0]!.metric).toMatchObject({ service: 'analytics', instance: 'analytics-test-0' }); // one series per replica
  }, 40_000);
});
