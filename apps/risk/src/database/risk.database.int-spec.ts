import { migrateDownAll, migrateUp, schemaDrift, serviceDataSourceOptions } from '@trading/database';
import { TestDatabase, createTestDatabase, CHECK_VIOLATION, UNIQUE_VIOLATION, refusal, tablesOf as tablesOfSchema } from '@trading/testing';
import { DataSource } from 'typeorm';
import { v7 } from 'uuid';
import Decimal from 'decimal.js';
import { BotAccountRepository } from '../accounts/bot-account.repository';
import { newAccount, withCapital } from '../book/bot-account';
import { LimitDefinition, RiskLimitRepository } from '../limits/risk-limit.repository';
import { NewRiskEvent, RiskEventRepository } from '../risk-events/risk-event.repository';
import { RiskMetricsRepository } from '../risk-metrics/risk-metrics.repository';
import { TradingStateRepository } from '../trading-state/trading-state.repository';
import { riskDatabase } from './risk.database';

const TABLES = [
  'bot_accounts',
  'bot_positions',
  'migrations',
  'outbox',
  'processed_events',
  'risk_events',
  'risk_limits',
  'risk_metrics',
  'trading_states',
];


describe('risk database (schema risk)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let limits: RiskLimitRepository;
  let states: TradingStateRepository;
  let events: RiskEventRepository;
  let metrics: RiskMetricsRepository;
  const userId = v7();
  const botId = v7();

  const aLimit = (overrides: Partial<LimitDefinition> = {}): LimitDefinition => ({
    scope: 'bot',
    scopeId: botId,
    limitType: 'max_daily_loss_pct',
    value: '2.5',
    ...overrides,
  });
  const anEvent = (overrides: Partial<NewRiskEvent> = {}): NewRiskEvent => ({
    scope: 'bot',
    botId,
    userId,
    riskType: 'daily_loss_limit',
    currentValue: '-251.12345678',
    limitValue: '250',
    thresholdPct: '100.45',
    severity: 'breach',
    actionTaken: 'trading_halted',
    ...overrides,
  });

  beforeAll(async () => {
    db = await createTestDatabase('risk');
    await migrateUp(riskDatabase, db.url);
    ds = new DataSource(serviceDataSourceOptions(riskDatabase, db.url, { poolSize: 3 }));
    await ds.initialize();
    limits = new RiskLimitRepository(ds);
    states = new TradingStateRepository(ds);
    events = new RiskEventRepository(ds);
    metrics = new RiskMetricsRepository(ds);
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  const tablesOf = (schema: string) => tablesOfSchema(ds, schema);

  it('creates every table of the schema', async () => {
    expect(await tablesOf('risk')).toEqual(TABLES);
  });

  it('has no drift between entities and migrations', async () => {
    expect(await schemaDrift(riskDatabase, db.url)).toEqual([]);
  });

  describe('risk_limits', () => {
    it('round-trips a limit with exact numerics and the default warning levels', async () => {
      const limit = await limits.create(aLimit({ value: '1234.56789012' }));
      expect(await limits.findById(limit.id)).toMatchObject({
        value: '1234.56789012',
        actionOnBreach: 'block',
        warnAtPcts: [80, 95],
        isActive: true,
      });
    });

    it('allows each limit type once per scope, the global scope included', async () => {
      const owner = v7();
      await limits.create(aLimit({ scope: 'user', scopeId: owner, limitType: 'max_exposure', value: '10000' }));
      expect(
        await refusal(limits.create(aLimit({ scope: 'user', scopeId: owner, limitType: 'max_exposure', value: '1' }))),
      ).toEqual({
        code: UNIQUE_VIOLATION,
        constraint: 'uq_risk_limits_scope_type',
      });
      await limits.create(aLimit({ scope: 'global', scopeId: null, limitType: 'max_leverage', value: '5' }));
      expect(
        await refusal(limits.create(aLimit({ scope: 'global', scopeId: null, limitType: 'max_leverage', value: '3' }))),
      ).toEqual({
        code: UNIQUE_VIOLATION,
        constraint: 'uq_risk_limits_scope_type',
      });
    });

    it('set() replaces the value of an existing global limit instead of adding a second one', async () => {
      const first = await limits.set(
        aLimit({ scope: 'global', scopeId: null, limitType: 'max_open_positions', value: '10' }),
      );
      const second = await limits.set(
        aLimit({
          scope: 'global',
          scopeId: null,
          limitType: 'max_open_positions',
          value: '12',
          actionOnBreach: 'halt',
          warnAtPcts: [90.5],
        }),
      );
      expect(second).toMatchObject({ id: first.id, value: '12.00000000', actionOnBreach: 'halt', warnAtPcts: [90.5] });
      expect(
        (await limits.listByScope('global', null)).filter((l) => l.limitType === 'max_open_positions'),
      ).toHaveLength(1);
    });

    it('finds the global, user and bot limits that apply to a bot', async () => {
      const owner = v7();
      const bot = v7();
      await limits.create(aLimit({ scope: 'user', scopeId: owner, limitType: 'max_trades_per_day', value: '50' }));
      await limits.create(aLimit({ scope: 'bot', scopeId: bot, limitType: 'max_trades_per_day', value: '20' }));
      await limits.create(aLimit({ scope: 'bot', scopeId: v7(), limitType: 'max_trades_per_day', value: '99' }));
      const applicable = await limits.findApplicable(owner, bot);
      expect(applicable.filter((l) => l.limitType === 'max_trades_per_day').map((l) => [l.scope, l.value])).toEqual([
        ['bot', '20.00000000'],
        ['user', '50.00000000'],
      ]);
      expect(applicable.some((l) => l.scope === 'global')).toBe(true);
    });

    it.each([
      ['valid_scope', { scope: 'portfolio' as never }],
      ['valid_scope_id', { scope: 'global' as const }],
      ['valid_scope_id', { scope: 'user' as const, scopeId: null }],
      ['valid_limit_type', { limitType: 'max_vibes' as never }],
      ['valid_action_on_breach', { actionOnBreach: 'panic' as never }],
      ['non_negative_value', { value: '-1' }],
      ['valid_warn_at_pcts', { warnAtPcts: [80, 120] }],
    ])('refuses a limit violating %s', async (constraint, overrides) => {
      expect(
        await refusal(limits.create(aLimit({ limitType: 'max_position_pct', scopeId: v7(), ...overrides }))),
      ).toEqual({ code: CHECK_VIOLATION, constraint });
    });
  });

  describe('trading_states', () => {
    it('keeps one row per scope: halting the world twice updates the kill switch in place', async () => {
      const halted = await states.set({
        scope: 'global',
        scopeId: null,
        state: 'HALTED',
        reason: 'kill switch',
        changedBy: 'admin',
      });
      const again = await states.set({
        scope: 'global',
        scopeId: null,
        state: 'ACTIVE',
        reason: null,
        changedBy: 'admin',
      });
      expect(again).toMatchObject({ id: halted.id, state: 'ACTIVE' });
      await states.set({ scope: 'bot', scopeId: botId, state: 'REDUCING', reason: 'drawdown', changedBy: 'risk' });
      expect(await states.find('bot', botId)).toMatchObject({ state: 'REDUCING', reason: 'drawdown' });
      expect(await states.find('user', userId)).toBeNull();
      expect((await states.listRestricted()).map((s) => s.scopeId)).toEqual([botId]);
    });

    it.each([
      ['valid_state', { state: 'PAUSED' as never }],
      ['valid_scope_id', { scope: 'bot' as const, scopeId: null }],
    ])('refuses a state violating %s', async (constraint, overrides) => {
      expect(
        await refusal(
          states.set({ scope: 'user', scopeId: v7(), state: 'HALTED', reason: null, changedBy: 'risk', ...overrides }),
        ),
      ).toEqual({
        code: CHECK_VIOLATION,
        constraint,
      });
    });
  });

  describe('risk_events', () => {
    it('records, pages and resolves an event with exact numerics', async () => {
      const event = await events.record(anEvent({ positionsAffected: 2 }));
      expect(await events.findById(event.id)).toMatchObject({
        currentValue: '-251.12345678',
        limitValue: '250.00000000',
        thresholdPct: '100.45',
        resolved: false,
        positionsAffected: 2,
      });
      expect((await events.listByBot(botId, { limit: 10 })).items.map((e) => e.id)).toContain(event.id);
      expect((await events.listUnresolved()).map((e) => e.id)).toContain(event.id);
      expect(await events.resolve(event.id, 'reset at midnight')).toBe(true);
      expect(await events.resolve(event.id, 'twice')).toBe(false);
      expect(await events.findById(event.id)).toMatchObject({ resolved: true, resolutionNotes: 'reset at midnight' });
    });

    it('keeps an event when its limit is deleted, without the link', async () => {
      const limit = await limits.create(aLimit({ scopeId: v7(), limitType: 'max_drawdown_pct', value: '10' }));
      const event = await events.record(anEvent({ limitId: limit.id }));
      await ds.query(`DELETE FROM risk.risk_limits WHERE id = $1`, [limit.id]);
      expect(await events.findById(event.id)).toMatchObject({ limitId: null });
    });

    it.each([
      ['valid_severity', { severity: 'critical' as never }],
      ['valid_scope_owner', { scope: 'bot' as const, botId: null }],
      ['valid_scope_owner', { scope: 'user' as const, userId: null }],
      ['valid_counts', { tradesCancelled: -1 }],
    ])('refuses an event violating %s', async (constraint, overrides) => {
      expect(await refusal(events.record(anEvent(overrides)))).toEqual({ code: CHECK_VIOLATION, constraint });
    });
  });

  describe('risk_metrics', () => {
    it('keeps one row per bot and day, replacing a recalculation in place', async () => {
      const first = await metrics.upsertDaily({
        botId,
        userId,
        date: '2026-11-20',
        startingEquity: '10000',
        endingEquity: '10123.45678901',
        dailyPnl: '123.45678901',
        totalTrades: 3,
        winningTrades: 2,
        losingTrades: 1,
        winRate: '0.6667',
        sharpeRatio: '1.2345',
      });
      const again = await metrics.upsertDaily({
        botId,
        userId,
        date: '2026-11-20',
        startingEquity: '10000',
        endingEquity: '10100',
        totalTrades: 4,
        winningTrades: 2,
        losingTrades: 2,
        winRate: '0.5',
      });
      expect(again).toMatchObject({
        id: first.id,
        endingEquity: '10100.00000000',
        totalTrades: 4,
        winRate: '0.5000',
        sharpeRatio: null,
      });
      expect((await metrics.listByBot(botId, '2026-11-01', '2026-11-30')).map((m) => m.date)).toEqual(['2026-11-20']);
      const other = v7();
      expect(
        await refusal(
          ds.query(
            `INSERT INTO risk.risk_metrics (id, bot_id, user_id, date, starting_equity, ending_equity) VALUES ($1, $2, $3, '2026-11-20', 1, 1), ($4, $2, $3, '2026-11-20', 1, 1)`,
            [v7(), other, userId, v7()],
          ),
        ),
      ).toEqual({ code: UNIQUE_VIOLATION, constraint: 'unique_bot_date' });
    });

    it.each([
      ['valid_trade_counts', { totalTrades: 1, winningTrades: 1, losingTrades: 1 }],
      ['valid_win_rate', { winRate: '1.5' }],
    ])('refuses metrics violating %s', async (constraint, overrides) => {
      expect(
        await refusal(
          metrics.upsertDaily({
            botId: v7(),
            userId,
            date: '2026-11-21',
            startingEquity: '1',
            endingEquity: '1',
            ...overrides,
          }),
        ),
      ).toEqual({
        code: CHECK_VIOLATION,
        constraint,
      });
    });
  });

  describe('bot_accounts (snapshots saved by several instances)', () => {
    const accounts = () => new BotAccountRepository(ds);
    const at = new Date('2026-11-20T10:00:00.000Z');
    const snapshot = (botId: string, realizedPnl: number, tradesEntryId: string | null) => {
      const base = newAccount(botId, userId, new Decimal(10_000), at);
      return { ...base, realizedPnl: new Decimal(realizedPnl), applied: { ...base.applied, tradesEntryId } };
    };
    const loaded = async (botId: string) => (await accounts().loadAll()).find((a) => a.botId === botId);

    it('never replaces a snapshot by one holding an earlier events:trades entry (compared as numbers)', async () => {
      const botId = v7();
      expect(await ds.transaction((m) => accounts().save(snapshot(botId, 10, '1700000000000-10'), m))).toBe(true);
      expect(await ds.transaction((m) => accounts().save(snapshot(botId, 5, '1700000000000-9'), m))).toBe(false);
      expect(await ds.transaction((m) => accounts().save(snapshot(botId, 0, null), m))).toBe(false);
      expect((await loaded(botId))?.realizedPnl.toFixed()).toBe('10');
      expect(await ds.transaction((m) => accounts().save(snapshot(botId, 20, '1700000000001-0'), m))).toBe(true);
      expect((await loaded(botId))?.applied.tradesEntryId).toBe('1700000000001-0');
    });

    it('keeps the latest capital apart from the snapshots and moves a stale snapshot onto it when loading', async () => {
      const botId = v7();
      // A snapshot with capital 2 000 (entry 5-0) and +100; then a concurrent snapshot still on the default capital.
      const withTwoThousand = withCapital(snapshot(botId, 100, '10-0'), new Decimal(2000), '5-0');
      await ds.transaction((m) => accounts().save(withTwoThousand, m));
      await ds.transaction((m) => accounts().save(snapshot(botId, 100, '11-0'), m));
      const account = await loaded(botId);
      // 2 000 + 100: the snapshot's 10 000 start moved by -8 000, as its peak and day start.
      expect([account?.startingEquity, account?.peakEquity, account?.dayStartEquity].map((x) => x?.toFixed())).toEqual(['2000', '2000', '2000']);
      expect(account?.realizedPnl.toFixed()).toBe('100');
      expect(account?.applied).toMatchObject({ tradesEntryId: '11-0', capitalEntryId: '5-0' });
      // An older capital entry changes nothing.
      await ds.transaction((m) => accounts().save(withCapital(snapshot(botId, 100, '12-0'), new Decimal(3000), '4-0'), m));
      expect((await loaded(botId))?.startingEquity.toFixed()).toBe('2000');
    });
  });

  describe('risk_events crossing keys', () => {
    it('records a crossing once until its scope is re-armed', async () => {
      const key = `${v7()}:bot:${botId}:2026-11-20:warn80`;
      const first = await ds.transaction((m) => events.recordCrossing({ ...anEvent({ severity: 'warning' }), crossingKey: key }, m));
      const again = await ds.transaction((m) => events.recordCrossing({ ...anEvent({ severity: 'warning' }), crossingKey: key }, m));
      expect(first?.crossingKey).toBe(key);
      expect(again).toBeNull();
      await ds.transaction((m) => events.rearm('user', userId, m)); // another scope: still recorded
      expect(await ds.transaction((m) => events.recordCrossing({ ...anEvent({ severity: 'warning' }), crossingKey: key }, m))).toBeNull();
      await ds.transaction((m) => events.rearm('bot', botId, m));
      expect(await ds.transaction((m) => events.recordCrossing({ ...anEvent({ severity: 'warning' }), crossingKey: key }, m))).not.toBeNull();
    });
  });

  it('reverts every migration, leaving only the migrations table, and applies them again', async () => {
    await migrateDownAll(riskDatabase, db.url);
    expect(await tablesOf('risk')).toEqual(['migrations']);
    expect(await ds.query(`SELECT count(*)::int AS n FROM risk.migrations`)).toEqual([{ n: 0 }]);
    await migrateUp(riskDatabase, db.url);
    expect(await tablesOf('risk')).toEqual(TABLES);
    expect(await schemaDrift(riskDatabase, db.url)).toEqual([]);
  });
});
