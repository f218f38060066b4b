import { migrateDownAll, migrateUp, schemaDrift, serviceDataSourceOptions } from '@trading/database';
import { TestDatabase, createTestDatabase, CHECK_VIOLATION, UNIQUE_VIOLATION, refusal, tablesOf as tablesOfSchema } from '@trading/testing';
import Decimal from 'decimal.js';
import { DataSource } from 'typeorm';
import { v7 } from 'uuid';
import { AuditLogRepository } from '../audit/audit-log.repository';
import { SystemEventRepository } from '../audit/system-event.repository';
import { DailyPerformanceRepository } from '../performance/daily-performance.repository';
import { EquityPointRepository } from '../performance/equity-point.repository';
import { PerformanceMetricsRepository } from '../performance/performance-metrics.repository';
import { PortfolioSnapshotRepository } from '../portfolio/portfolio-snapshot.repository';
import { BotFactRepository } from '../read-model/bot-fact.repository';
import { DashboardViewsRepository } from '../read-model/dashboard-views.repository';
import { PositionFactRepository, PositionFactState } from '../read-model/position-fact.repository';
import { RiskEventFactRepository } from '../read-model/risk-event-fact.repository';
import { NewTradeFact, TradeFactRepository } from '../read-model/trade-fact.repository';
import { analyticsDatabase } from './analytics.database';

const ANALYTICS_TABLES = [
  'bot_facts',
  'daily_performance',
  'equity_points',
  'migrations',
  'performance_metrics',
  'portfolio_snapshots',
  'position_facts',
  'processed_events',
  'risk_event_facts',
  'trade_facts',
];
const AUDIT_TABLES = ['audit_logs', 'system_events'];
const VIEWS = ['active_positions_summary', 'daily_performance_summary', 'system_health_dashboard'];


describe('analytics database (schemas analytics and audit)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let tradeFacts: TradeFactRepository;
  let positionFacts: PositionFactRepository;
  let botFacts: BotFactRepository;
  let riskFacts: RiskEventFactRepository;
  let views: DashboardViewsRepository;
  let performance: PerformanceMetricsRepository;
  let daily: DailyPerformanceRepository;
  let equity: EquityPointRepository;
  let snapshots: PortfolioSnapshotRepository;
  let auditLogs: AuditLogRepository;
  let systemEvents: SystemEventRepository;
  const userId = v7();
  const botId = v7();

  const aTrade = (overrides: Partial<NewTradeFact> = {}): NewTradeFact => ({
    tradeId: v7(),
    orderId: v7(),
    botId,
    userId,
    exchange: 'binance',
    symbol: 'BTC/USDT',
    side: 'sell',
    price: '43210.12345678',
    quantity: '0.00012345',
    fee: '0.00533428',
    feeCurrency: 'USDT',
    realizedPnl: '1.23456789',
    executedAt: new Date('2026-11-20T10:00:00.123Z'),
    ...overrides,
  });
  const aPosition = (overrides: Partial<PositionFactState> = {}): PositionFactState => ({
    userId,
    botId,
    exchange: 'binance',
    symbol: 'ETH/USDT',
    mode: 'live',
    side: 'long',
    size: '1.5',
    avgEntryPrice: '2500.12345678',
    currentPrice: '2600',
    unrealizedPnl: '149.81481483',
    realizedPnl: '0',
    status: 'open',
    lastTradeId: v7(),
    changedAt: new Date('2026-11-20T10:00:00Z'),
    ...overrides,
  });

  beforeAll(async () => {
    db = await createTestDatabase('analytics');
    await migrateUp(analyticsDatabase, db.url);
    ds = new DataSource(serviceDataSourceOptions(analyticsDatabase, db.url, { poolSize: 3 }));
    await ds.initialize();
    tradeFacts = new TradeFactRepository(ds);
    positionFacts = new PositionFactRepository(ds);
    botFacts = new BotFactRepository(ds);
    riskFacts = new RiskEventFactRepository(ds);
    views = new DashboardViewsRepository(ds);
    performance = new PerformanceMetricsRepository(ds);
    daily = new DailyPerformanceRepository(ds);
    equity = new EquityPointRepository(ds);
    snapshots = new PortfolioSnapshotRepository(ds);
    auditLogs = new AuditLogRepository(ds);
    systemEvents = new SystemEventRepository(ds);
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  const tablesOf = (schema: string) => tablesOfSchema(ds, schema);
  const viewsOf = async (schema: string): Promise<string[]> =>
    (
      await ds.query<{ matviewname: string }[]>(
        `SELECT matviewname FROM pg_matviews WHERE schemaname = $1 ORDER BY matviewname`,
        [schema],
      )
    ).map((r) => r.matviewname);

  it('creates every table of both schemas and the three materialized views', async () => {
    expect(await tablesOf('analytics')).toEqual(ANALYTICS_TABLES);
    expect(await tablesOf('audit')).toEqual(AUDIT_TABLES);
    expect(await viewsOf('analytics')).toEqual(VIEWS);
  });

  it('has no drift between entities and migrations', async () => {
    expect(await schemaDrift(analyticsDatabase, db.url)).toEqual([]);
  });

  describe('read model', () => {
    it('stores a trade once, with exact numerics', async () => {
      const trade = aTrade();
      expect(await tradeFacts.record(trade)).toBe(true);
      expect(await tradeFacts.record({ ...trade, price: '1' })).toBe(false);
      expect(await tradeFacts.findByTradeId(trade.tradeId)).toMatchObject({
        price: '43210.12345678',
        quantity: '0.00012345',
        fee: '0.00533428',
        realizedPnl: '1.23456789',
        mode: 'live',
      });
      expect((await tradeFacts.listByBot(botId, { limit: 5 })).items.map((t) => t.tradeId)).toContain(trade.tradeId);
    });

    it('refuses a trade with side FOO', async () => {
      expect(await refusal(tradeFacts.record(aTrade({ side: 'FOO' as never })))).toEqual({
        code: CHECK_VIOLATION,
        constraint: 'valid_side',
      });
    });

    it.each([
      ['positive_price', { price: '0' }],
      ['positive_quantity', { quantity: '0' }],
      ['valid_fee', { fee: '-0.01' }],
    ])('refuses a trade violating %s', async (constraint, overrides) => {
      expect(await refusal(tradeFacts.record(aTrade(overrides)))).toEqual({ code: CHECK_VIOLATION, constraint });
    });

    it('refuses a position with size 0', async () => {
      expect(await refusal(positionFacts.apply(aPosition({ symbol: 'DOT/USDT', size: '0' })))).toEqual({
        code: CHECK_VIOLATION,
        constraint: 'positive_size',
      });
    });

    it('keeps the newest state per position key, ignoring stale events, and reopens with a new opened_at', async () => {
      const key = { userId, botId, exchange: 'binance', symbol: 'SOL/USDT' };
      const t0 = new Date('2026-11-20T10:00:00Z');
      const t1 = new Date('2026-11-20T11:00:00Z');
      const t2 = new Date('2026-11-20T12:00:00Z');
      expect(await positionFacts.apply(aPosition({ ...key, changedAt: t0 }))).toBe(true);
      expect(
        await positionFacts.apply(
          aPosition({ ...key, size: '0.5', status: 'closed', realizedPnl: '12.5', changedAt: t1 }),
        ),
      ).toBe(true);
      expect(await positionFacts.apply(aPosition({ ...key, size: '9', changedAt: t0 }))).toBe(false);
      expect(await positionFacts.find(key)).toMatchObject({
        size: '0.50000000',
        status: 'closed',
        realizedPnl: '12.50000000',
        openedAt: t0,
        closedAt: t1,
      });
      expect(await positionFacts.apply(aPosition({ ...key, size: '2', changedAt: t2 }))).toBe(true);
      expect(await positionFacts.find(key)).toMatchObject({
        size: '2.00000000',
        status: 'open',
        openedAt: t2,
        closedAt: null,
      });
    });

    it('applies bot status changes in event order and refuses unknown statuses', async () => {
      const bot = v7();
      expect(
        await botFacts.applyStatus({
          botId: bot,
          userId,
          status: 'running',
          mode: 'paper',
          changedAt: new Date('2026-11-20T10:00:00Z'),
        }),
      ).toBe(true);
      expect(
        await botFacts.applyStatus({
          botId: bot,
          userId,
          status: 'created',
          mode: null,
          changedAt: new Date('2026-11-20T09:00:00Z'),
        }),
      ).toBe(false);
      await botFacts.updateProfile(bot, { name: 'Momentum #1', strategy: 'momentum', currentEquity: '1000.5' });
      expect(await botFacts.find(bot)).toMatchObject({
        status: 'running',
        mode: 'paper',
        name: 'Momentum #1',
        currentEquity: '1000.50000000',
      });
      expect(
        await refusal(
          botFacts.applyStatus({ botId: v7(), userId, status: 'sleeping' as never, mode: null, changedAt: new Date() }),
        ),
      ).toEqual({
        code: CHECK_VIOLATION,
        constraint: 'valid_status',
      });
    });
  });

  describe('materialized views', () => {
    it('refresh concurrently and show the read-model rows', async () => {
      await views.refreshMaterializedViews();
      const before = await views.systemHealth();
      const bot = v7();
      const now = new Date();
      const today = now.toISOString().slice(0, 10);
      await botFacts.applyStatus({ botId: bot, userId, status: 'running', mode: 'live', changedAt: now });
      await botFacts.updateProfile(bot, { name: 'LX algo', strategy: 'lxalgo', currentEquity: '2500.25' });
      await positionFacts.apply(
        aPosition({
          botId: bot,
          symbol: 'BTC/USDT',
          size: '0.1',
          avgEntryPrice: '40000',
          currentPrice: '41000.5',
          changedAt: now,
        }),
      );
      await tradeFacts.record(aTrade({ botId: bot, realizedPnl: '10.5', fee: '0.1', executedAt: now }));
      await tradeFacts.record(aTrade({ botId: bot, realizedPnl: '-4.25', fee: '0.2', executedAt: now }));
      await tradeFacts.record(aTrade({ botId: bot, realizedPnl: '0', fee: '0.3', executedAt: now }));
      await systemEvents.record({
        eventType: 'DATA_GAP',
        eventLevel: 'ERROR',
        message: '7 candles missing',
        eventTime: now,
      });
      await riskFacts.record({
        id: v7(),
        scope: 'bot',
        scopeId: bot,
        userId,
        limitType: 'MAX_DAILY_LOSS',
        action: 'HALT',
        currentValue: '-260',
        limitValue: '250',
        message: null,
        breachedAt: now,
      });

      await views.refreshMaterializedViews();

      expect(await views.activePositions(userId)).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            botId: bot,
            botName: 'LX algo',
            strategy: 'lxalgo',
            symbol: 'BTC/USDT',
            size: '0.10000000',
            positionValue: '4100.0500000000000000',
          }),
        ]),
      );
      expect(await views.dailyPerformance(bot, today, today)).toEqual([
        expect.objectContaining({
          tradeDate: today,
          botName: 'LX algo',
          totalTrades: 3,
          winningTrades: 1,
          losingTrades: 1,
          totalPnl: '6.25000000',
          totalFees: '0.60000000',
          winRate: '0.5000',
        }),
      ]);
      const after = await views.systemHealth();
      expect(after.activeBots - before.activeBots).toBe(1);
      expect(after.totalOpenPositions - before.totalOpenPositions).toBe(1);
      expect(after.todayTrades - before.todayTrades).toBe(3);
      expect(new Decimal(after.todayPnl).minus(before.todayPnl).toFixed()).toBe('6.25');
      expect(after.errorsLastHour - before.errorsLastHour).toBe(1);
      expect(after.unresolvedRiskEvents - before.unresolvedRiskEvents).toBe(1);
      expect(new Decimal(after.totalPortfolioEquity ?? 0).minus(before.totalPortfolioEquity ?? 0).toFixed()).toBe(
        '2500.25',
      );
    });
  });

  describe('performance', () => {
    it('keeps one metrics row per (user, bot, strategy, period, start), user-wide rows included', async () => {
      const first = await performance.upsert({
        userId,
        period: 'day',
        periodStart: '2026-11-20',
        periodEnd: '2026-11-20',
        totalTrades: 4,
        winningTrades: 3,
        losingTrades: 1,
        winRate: '75',
        totalPnl: '123.45678901',
        sharpeRatio: '1.5',
      });
      const second = await performance.upsert({
        userId,
        period: 'day',
        periodStart: '2026-11-20',
        periodEnd: '2026-11-20',
        totalTrades: 5,
        winningTrades: 3,
        losingTrades: 2,
        winRate: '60',
      });
      expect(second).toMatchObject({
        id: first.id,
        totalTrades: 5,
        winRate: '60.00',
        totalPnl: '0.00000000',
        sharpeRatio: null,
        botId: null,
        strategy: null,
      });
      const insert = `INSERT INTO analytics.performance_metrics (id, user_id, period, period_start, period_end) VALUES ($1, $2, 'day', '2026-11-20', '2026-11-20')`;
      expect(await refusal(ds.query(insert, [v7(), userId]))).toEqual({
        code: UNIQUE_VIOLATION,
        constraint: 'uq_performance_metrics_period',
      });
      const perBot = await performance.upsert({
        userId,
        botId,
        strategy: 'momentum',
        period: 'overall',
        periodStart: '2026-01-01',
        periodEnd: '2026-11-20',
        sortinoRatio: '2.25',
        calmarRatio: '0.75',
        expectancy: '1.5',
      });
      expect((await performance.listByBot(botId, 'overall')).map((m) => m.id)).toEqual([perBot.id]);
    });

    it.each([
      ['valid_period', { period: 'week' as never }],
      ['valid_period_range', { periodEnd: '2026-11-19' }],
      ['valid_win_rate', { winRate: '100.01' }],
      ['valid_trade_counts', { totalTrades: 1, winningTrades: 2 }],
    ])('refuses metrics violating %s', async (constraint, overrides) => {
      expect(
        await refusal(
          performance.upsert({
            userId: v7(),
            period: 'day',
            periodStart: '2026-11-20',
            periodEnd: '2026-11-20',
            ...overrides,
          }),
        ),
      ).toEqual({
        code: CHECK_VIOLATION,
        constraint,
      });
    });

    it('adds trades to a bot day exactly', async () => {
      const bot = v7();
      await daily.addTrade({ botId: bot, userId, date: '2026-11-20', realizedPnl: '0.1', fee: '0.00000001' });
      await daily.addTrade({ botId: bot, userId, date: '2026-11-20', realizedPnl: '0.2', fee: '0.00000002' });
      await daily.addTrade({ botId: bot, userId, date: '2026-11-20', realizedPnl: '-0.05', fee: '0' });
      await daily.addTrade({ botId: bot, userId, date: '2026-11-21', realizedPnl: '0', fee: '0' });
      expect(await daily.find(bot, '2026-11-20')).toMatchObject({
        trades: 3,
        wins: 2,
        losses: 1,
        pnl: '0.25000000',
        fees: '0.00000003',
      });
      expect(
        (await daily.listByBot(bot, '2026-11-01', '2026-11-30')).map((d) => [d.date, d.trades, d.wins, d.losses]),
      ).toEqual([
        ['2026-11-20', 3, 2, 1],
        ['2026-11-21', 1, 0, 0],
      ]);
      const insert = `INSERT INTO analytics.daily_performance (id, bot_id, user_id, date, trades, wins) VALUES ($1, $2, $3, '2026-11-22', 1, 2)`;
      expect(await refusal(ds.query(insert, [v7(), bot, userId]))).toEqual({
        code: CHECK_VIOLATION,
        constraint: 'valid_counts',
      });
    });

    it('records an equity curve, one point per bot and instant', async () => {
      const bot = v7();
      const t = (h: number): Date => new Date(Date.UTC(2026, 10, 20, h));
      await equity.record(bot, t(1), '1000');
      await equity.record(bot, t(2), '1010.12345678');
      await equity.record(bot, t(2), '1011');
      await equity.record(bot, t(5), '990');
      expect((await equity.curve(bot, t(0), t(3))).map((p) => [p.time.toISOString(), p.equity])).toEqual([
        [t(1).toISOString(), '1000.00000000'],
        [t(2).toISOString(), '1011.00000000'],
      ]);
    });
  });

  describe('portfolio snapshots', () => {
    it('round-trips a snapshot and ignores a duplicate of the same instant', async () => {
      const at = new Date('2026-11-20T12:00:00.000Z');
      const snapshot = {
        userId,
        timestamp: at,
        totalEquity: '10234.56789012',
        totalBalance: '10000',
        totalRealizedPnl: '234.56789012',
        assetAllocation: { BTC: '0.1', USDT: '6000' },
        botMetrics: { [botId]: { pnl: '1.5' } },
      };
      expect(await snapshots.record(snapshot)).toBe(true);
      expect(await snapshots.record(snapshot)).toBe(false);
      expect(await snapshots.latest(userId)).toMatchObject({
        timestamp: at,
        totalEquity: '10234.56789012',
        totalRealizedPnl: '234.56789012',
        assetAllocation: { BTC: '0.1', USDT: '6000' },
        activeBots: 0,
      });
      expect((await snapshots.listByUser(userId, { limit: 10 })).items).toHaveLength(1);
      expect(await refusal(snapshots.record({ ...snapshot, timestamp: new Date(), activeBots: -1 }))).toEqual({
        code: CHECK_VIOLATION,
        constraint: 'valid_counts',
      });
    });
  });

  describe('audit', () => {
    it('stores an audit entry once per event, with inet and jsonb intact', async () => {
      const eventId = v7();
      const entry = {
        eventId,
        userId,
        actorUserId: v7(),
        action: 'api_key.created',
        resourceType: 'api_key',
        resourceId: 'binance-main',
        newValues: { exchange: 'binance' },
        ipAddress: '2001:db8::1',
        requestId: 'req-1',
      };
      expect(await auditLogs.record(entry)).toBe(true);
      expect(await auditLogs.record(entry)).toBe(false);
      expect(await auditLogs.findByEventId(eventId)).toMatchObject({
        ipAddress: '2001:db8::1',
        newValues: { exchange: 'binance' },
        resourceId: 'binance-main',
      });
      expect((await auditLogs.listByResource('api_key', 'binance-main', { limit: 5 })).items).toHaveLength(1);
      const insert = `INSERT INTO audit.audit_logs (id, event_id, action) VALUES ($1, $2, 'x')`;
      expect(await refusal(ds.query(insert, [v7(), eventId]))).toEqual({
        code: UNIQUE_VIOLATION,
        constraint: 'uq_audit_logs_event_id',
      });
    });

    it('accepts DATA_GAP system events and refuses unknown levels and types', async () => {
      expect(
        await systemEvents.record({
          eventId: v7(),
          eventType: 'DATA_GAP',
          eventLevel: 'WARNING',
          message: 'gap',
          details: { symbol: 'BTC/USDT', missing: 7 },
        }),
      ).toBe(true);
      expect((await systemEvents.listRecent({ limit: 50 }, ['WARNING'])).items.map((e) => e.eventType)).toContain(
        'DATA_GAP',
      );
      expect(
        await refusal(systemEvents.record({ eventType: 'INFO', eventLevel: 'LOUD' as never, message: 'x' })),
      ).toEqual({ code: CHECK_VIOLATION, constraint: 'valid_event_level' });
      expect(
        await refusal(systemEvents.record({ eventType: 'PARTY' as never, eventLevel: 'INFO', message: 'x' })),
      ).toEqual({ code: CHECK_VIOLATION, constraint: 'valid_event_type' });
    });
  });

  it('reverts every migration, leaving only the migrations table, and applies them again', async () => {
    await migrateDownAll(analyticsDatabase, db.url);
    expect(await tablesOf('analytics')).toEqual(['migrations']);
    expect(await tablesOf('audit')).toEqual([]);
    expect(await viewsOf('analytics')).toEqual([]);
    expect(await ds.query(`SELECT count(*)::int AS n FROM analytics.migrations`)).toEqual([{ n: 0 }]);
    await migrateUp(analyticsDatabase, db.url);
    expect(await tablesOf('analytics')).toEqual(ANALYTICS_TABLES);
    expect(await tablesOf('audit')).toEqual(AUDIT_TABLES);
    expect(await viewsOf('analytics')).toEqual(VIEWS);
    expect(await schemaDrift(analyticsDatabase, db.url)).toEqual([]);
  });
});
