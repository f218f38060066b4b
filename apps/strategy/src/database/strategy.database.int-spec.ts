import { DataSource } from 'typeorm';
import { v7 } from 'uuid';
import { migrateDownAll, migrateUp, schemaDrift, serviceDataSourceOptions } from '@trading/database';
import { TestDatabase, createTestDatabase } from '@trading/testing';
import { BacktestRepository } from '../backtests/backtest.repository';
import { BotConfigurationRepository } from '../bots/bot-configuration.repository';
import { BotStateRepository } from '../bots/bot-state.repository';
import { BotRepository, NewBot } from '../bots/bot.repository';
import { SignalEntity } from '../signals/signal.entity';
import { NewSignal, SignalRepository } from '../signals/signal.repository';
import { StrategyRepository } from '../strategies/strategy.repository';
import { definitionDrift } from '@trading/database';
import { strategyDatabase } from './strategy.database';

const TABLES = ['backtests', 'bot_configurations', 'bot_state', 'bots', 'migrations', 'outbox', 'processed_events', 'signals', 'strategies'];

describe('strategy database', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let strategies: StrategyRepository;
  let bots: BotRepository;
  let strategyId: string;
  const userId = v7();
  const migrationCount = Object.values(strategyDatabase.migrations).length;

  const tables = async (): Promise<string[]> =>
    (await ds.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'strategy' ORDER BY table_name`)).map(
      (r: { table_name: string }) => r.table_name,
    );
  const refused = (sql: string, params: unknown[], constraint: string) => expect(ds.query(sql, params)).rejects.toMatchObject({ constraint });
  const aBot = (overrides: Partial<NewBot> = {}) =>
    bots.create(
      { userId, strategyId, name: `bot-${v7()}`, exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h', initialCapital: '1000.12345678', ...overrides },
      userId,
    );
  const aSignal = (botId: string, candleTime: Date, overrides: Partial<NewSignal> = {}): NewSignal => ({
    id: v7(),
    botId,
    userId,
    strategy: 'ema_rsi',
    exchange: 'binance',
    symbol: 'BTC/USDT',
    timeframe: '1h',
    candleTime,
    signalType: 'long',
    target: 'long',
    price: '43210.12345678',
    ...overrides,
  });
  const insertBot = `INSERT INTO strategy.bots (id, user_id, strategy_id, name, exchange, symbol, timeframe, initial_capital, mode, status, market_type, leverage, sizing_mode, api_key_id)
                     VALUES ($1, $2, $3, $4, 'binance', 'BTC/USDT', '1h', 1000, $5, $6, $7, $8, $9, $10)`;
  const botRow = (o: { name?: string; mode?: string; status?: string; marketType?: string; leverage?: number; sizingMode?: string; apiKeyId?: string | null } = {}) => [
    v7(), userId, strategyId, o.name ?? `raw-${v7()}`, o.mode ?? 'paper', o.status ?? 'stopped', o.marketType ?? 'spot', o.leverage ?? 1, o.sizingMode ?? 'percent_equity', o.apiKeyId ?? null,
  ];

  beforeAll(async () => {
    db = await createTestDatabase('strategy_db');
    await migrateUp(strategyDatabase, db.url);
    ds = await new DataSource(serviceDataSourceOptions(strategyDatabase, db.url, { poolSize: 4 })).initialize();
    strategies = new StrategyRepository(ds);
    bots = new BotRepository(ds);
    strategyId = (await strategies.create({ userId: null, name: 'EMA cross + RSI', strategyType: 'ema_rsi', parameters: { emaFast: 9, emaSlow: 21, rsiPeriod: 14 } })).id;
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('migrates an empty database into every strategy table, with no drift from the entities (columns, constraints, index definitions)', async () => {
    expect(await tables()).toEqual(TABLES);
    expect(await schemaDrift(strategyDatabase, db.url)).toEqual([]);
    // TypeORM's @Unique cannot say NULLS NOT DISTINCT (built-in strategy names unique too): the one known difference.
    expect(await definitionDrift(strategyDatabase, db.url, ['uq_strategies_user_name'])).toEqual([]);
  });

  describe('constraints', () => {
    it('bots: refuses unknown mode and status, a live bot without an api key, leverage on spot, a sizing mode without its size', async () => {
      await ds.query(insertBot, botRow());
      await refused(insertBot, botRow({ mode: 'demo' }), 'chk_bots_mode');
      await refused(insertBot, botRow({ status: 'active' }), 'chk_bots_status');
      await refused(insertBot, botRow({ mode: 'live' }), 'chk_bots_live_api_key');
      await ds.query(insertBot, botRow({ mode: 'live', apiKeyId: v7() }));
      await refused(insertBot, botRow({ leverage: 5 }), 'chk_bots_leverage');
      await ds.query(insertBot, botRow({ marketType: 'futures', leverage: 5 }));
      await refused(insertBot, botRow({ sizingMode: 'fixed_quote' }), 'chk_bots_sizing');
      await refused(insertBot, botRow({ sizingMode: 'risk_per_trade' }), 'chk_bots_sizing');
    });

    it('bots: refuses a second bot of a user with the same name, and deleting a strategy still in use', async () => {
      await ds.query(insertBot, botRow({ name: 'twin' }));
      await refused(insertBot, botRow({ name: 'twin' }), 'uq_bots_user_name');
      await refused(`DELETE FROM strategy.strategies WHERE id = $1`, [strategyId], 'fk_bots_strategy');
    });

    it('strategies: built-in names are unique too, a user may reuse a built-in name', async () => {
      const sql = `INSERT INTO strategy.strategies (id, user_id, name, strategy_type) VALUES ($1, $2, $3, 'sma_cross')`;
      await ds.query(sql, [v7(), null, 'SMA cross']);
      await refused(sql, [v7(), null, 'SMA cross'], 'uq_strategies_user_name');
      await ds.query(sql, [v7(), userId, 'SMA cross']);
      await refused(sql, [v7(), userId, 'SMA cross'], 'uq_strategies_user_name');
      await refused(sql, [v7(), userId, '  '], 'chk_strategies_name');
    });

    it('bot configurations: refuses a duplicate version and a second open version', async () => {
      const bot = await aBot();
      const sql = `INSERT INTO strategy.bot_configurations (id, bot_id, version, config, effective_from, effective_until) VALUES ($1, $2, $3, '{}', $4, $5)`;
      const from = new Date('2020-01-01T00:00:00Z');
      await refused(sql, [v7(), bot.id, 1, from, new Date('2020-02-01T00:00:00Z')], 'uq_bot_configurations_bot_version');
      await refused(sql, [v7(), bot.id, 2, from, null], 'uq_bot_configurations_current');
      await refused(sql, [v7(), bot.id, 2, from, new Date('2019-01-01T00:00:00Z')], 'chk_bot_configurations_period');
    });

    it('bot state: refuses being in a position without side, entry price and size', async () => {
      const bot = await aBot();
      await refused(`UPDATE strategy.bot_state SET in_position = true, position_side = 'long' WHERE bot_id = $1`, [bot.id], 'chk_bot_state_position');
      await refused(`UPDATE strategy.bot_state SET in_position = true, position_side = 'long', entry_price = 100, position_size = 0 WHERE bot_id = $1`, [bot.id], 'chk_bot_state_position');
      await refused(`UPDATE strategy.bot_state SET position_side = 'both' WHERE bot_id = $1`, [bot.id], 'chk_bot_state_position_side');
    });

    it('signals: refuses out-of-range strength/confidence, unknown types and outcomes, a rejection without reason, a second signal for the same candle and target', async () => {
      const bot = await aBot();
      const sql = `INSERT INTO strategy.signals (id, bot_id, user_id, strategy, exchange, symbol, timeframe, candle_time, signal_type, target, strength, confidence, price, outcome, rejected, rejection_reason)
                   VALUES ($1, $2, $3, 'ema_rsi', 'binance', 'BTC/USDT', '1h', '2026-01-01T00:00:00Z', $4, $5, $6, $7, 100, $8, $9, $10)`;
      const row = (o: Record<string, unknown> = {}) => [v7(), bot.id, userId, o.type ?? 'long', o.target ?? 'long', o.strength ?? '0.8', o.confidence ?? null, o.outcome ?? null, o.rejected ?? false, o.reason ?? null];
      await ds.query(sql, row());
      await refused(sql, row(), 'uq_signals_bot_candle_target');
      await refused(sql, row({ target: 'flat', strength: '1.5' }), 'chk_signals_strength');
      await refused(sql, row({ target: 'flat', confidence: '-0.1' }), 'chk_signals_confidence');
      await refused(sql, row({ target: 'flat', type: 'buy' }), 'chk_signals_signal_type');
      await refused(sql, row({ target: 'up' }), 'chk_signals_target');
      await refused(sql, row({ target: 'flat', outcome: 'won' }), 'chk_signals_outcome');
      await refused(sql, row({ target: 'flat', rejected: true }), 'chk_signals_rejection');
    });

    it('backtests: refuses unknown status, progress above 100, an empty period, a completed run without final capital', async () => {
      const sql = `INSERT INTO strategy.backtests (id, user_id, strategy, exchange, symbol, timeframe, start_time, end_time, initial_capital, status, progress)
                   VALUES ($1, $2, 'ema_rsi', 'binance', 'BTC/USDT', '1h', $3, $4, 1000, $5, $6)`;
      const start = new Date('2024-01-01T00:00:00Z');
      const end = new Date('2024-02-01T00:00:00Z');
      await ds.query(sql, [v7(), userId, start, end, 'queued', 0]);
      await refused(sql, [v7(), userId, start, end, 'done', 0], 'chk_backtests_status');
      await refused(sql, [v7(), userId, start, end, 'running', 100.5], 'chk_backtests_progress');
      await refused(sql, [v7(), userId, end, start, 'queued', 0], 'chk_backtests_period');
      await refused(sql, [v7(), userId, start, end, 'completed', 100], 'chk_backtests_completed');
      await ds.query(`DELETE FROM strategy.backtests`);
    });
  });

  describe('repositories', () => {
    it('strategies: built-ins and own strategies are usable, others are not', async () => {
      const own = await strategies.create({ userId, name: 'My breakout', strategyType: 'breakout', parameters: { lookback: 20 } });
      const foreign = await strategies.create({ userId: v7(), name: 'Theirs', strategyType: 'breakout' });
      expect(own).toMatchObject({ parameters: { lookback: 20 }, riskSettings: {}, isActive: false, backtestResults: null });
      expect((await strategies.findUsableBy(strategyId, userId))?.strategyType).toBe('ema_rsi');
      expect((await strategies.findUsableBy(own.id, userId))?.name).toBe('My breakout');
      expect(await strategies.findUsableBy(foreign.id, userId)).toBeNull();
      const usable = (await strategies.listUsableBy(userId)).map((s) => s.id);
      expect(usable).toContain(own.id);
      expect(usable).toContain(strategyId);
      expect(usable).not.toContain(foreign.id);
      await strategies.update(own.id, { isBacktested: true, backtestResults: { sharpe: 1.2 } });
      expect(await strategies.findById(own.id)).toMatchObject({ isBacktested: true, backtestResults: { sharpe: 1.2 } });
    });

    it('bots: create writes state and configuration v1; status, heartbeat, running-by-market and keyset pages', async () => {
      const owner = v7();
      const bot = await bots.create(
        { userId: owner, strategyId, name: 'alpha', exchange: 'binance', symbol: 'ETH/USDT', timeframe: '4h', initialCapital: '2500.00000001', stopLossPct: '2.5', takeProfitPct: '5', trailingStopPct: '1.25', trailingStopActive: true, strategyParams: { emaFast: 12 } },
        owner,
      );
      expect(bot).toMatchObject({ status: 'stopped', mode: 'paper', sizingMode: 'percent_equity', positionSizePct: '100.00', initialCapital: '2500.00000001', stopLossPct: '2.50', leverage: 1, strategyParams: { emaFast: 12 } });
      expect(await new BotStateRepository(ds).get(bot.id)).toMatchObject({ status: 'stopped', inPosition: false, dailyPnl: '0.00000000', revision: 0, state: {} });
      const v1 = await new BotConfigurationRepository(ds).current(bot.id);
      expect(v1).toMatchObject({ version: 1, changeReason: 'created', createdBy: owner, effectiveUntil: null });
      expect(v1?.config).toMatchObject({ name: 'alpha', stopLossPct: '2.50', strategyParams: { emaFast: 12 } });

      await bots.setStatus(bot.id, 'running', new Date('2026-01-01T00:00:00Z'));
      expect((await bots.listRunningForMarket('binance', 'ETH/USDT', '4h')).map((b) => b.id)).toEqual([bot.id]);
      expect(await bots.listRunningForMarket('binance', 'ETH/USDT', '1h')).toEqual([]);
      expect((await new BotStateRepository(ds).get(bot.id))?.status).toBe('running');
      await bots.heartbeat(bot.id, new Date('2026-01-01T00:01:00Z'), '2600.5');
      expect(await bots.findByIdForUser(bot.id, owner)).toMatchObject({ startedAt: new Date('2026-01-01T00:00:00Z'), lastHeartbeat: new Date('2026-01-01T00:01:00Z'), currentEquity: '2600.50000000' });
      expect(await bots.findByIdForUser(bot.id, userId)).toBeNull();

      for (let i = 0; i < 4; i++) await bots.create({ userId: owner, strategyId, name: `b${i}`, exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h', initialCapital: '10' }, owner);
      const ids: string[] = [];
      let page = await bots.listByUser(owner, { limit: 2 });
      ids.push(...page.items.map((b) => b.id));
      while (page.next) {
        page = await bots.listByUser(owner, { limit: 2, after: page.next });
        ids.push(...page.items.map((b) => b.id));
      }
      expect(ids).toHaveLength(5);
      expect(new Set(ids).size).toBe(5);
      expect(ids[4]).toBe(bot.id);
      expect((await bots.listByUser(owner, { status: 'running' })).items.map((b) => b.id)).toEqual([bot.id]);
    });

    it('bot configurations: a new version closes the previous one; the version in effect at a time is found', async () => {
      const configs = new BotConfigurationRepository(ds);
      const bot = await aBot();
      const t2 = new Date(bot.createdAt.getTime() + 60_000);
      const v2 = await configs.append(bot.id, { stopLossPct: '3.00' }, { changeReason: 'wider stop', createdBy: userId, at: t2 });
      expect(v2).toMatchObject({ version: 2, effectiveUntil: null, config: { stopLossPct: '3.00' } });
      expect((await configs.current(bot.id))?.id).toBe(v2.id);
      expect((await configs.history(bot.id)).map((c) => [c.version, c.effectiveUntil?.getTime() ?? null])).toEqual([[2, null], [1, t2.getTime()]]);
      expect((await configs.effectiveAt(bot.id, new Date(t2.getTime() - 1)))?.version).toBe(1);
      expect((await configs.effectiveAt(bot.id, t2))?.version).toBe(2);
    });

    it('bot state: compare-and-set by revision, numerics exact', async () => {
      const states = new BotStateRepository(ds);
      const bot = await aBot();
      const saved = await states.save(bot.id, 0, { inPosition: true, positionSide: 'long', entryPrice: '43210.12345678', positionSize: '0.00123456', maxPriceSinceEntry: '43300', dailyTradesCount: 1, tradingDay: '2026-01-01', state: { lastSignal: 'long' } });
      expect(saved).toMatchObject({ revision: 1, entryPrice: '43210.12345678', positionSize: '0.00123456', maxPriceSinceEntry: '43300.00000000', tradingDay: '2026-01-01', state: { lastSignal: 'long' } });
      expect(await states.save(bot.id, 0, { dailyTradesCount: 2 })).toBeNull();
      expect((await states.save(bot.id, 1, { dailyPnl: '-12.34567891' }))?.dailyPnl).toBe('-12.34567891');
    });

    it('signals: recorded once per id and per (bot, candle, target), paged by candle time, executed or rejected once', async () => {
      const signals = new SignalRepository(ds);
      const bot = await aBot();
      const t0 = new Date('2026-02-01T00:00:00Z');
      const first = aSignal(bot.id, t0, { strength: '0.75', confidence: '0.9', suggestedStopLoss: '42000.5', indicators: { rsi: 28.5 }, passedFilters: { trend: true }, reasonCodes: ['EMA_CROSS_UP', 'RSI_OVERSOLD'] });
      expect(await signals.insertIfAbsent(first)).toBe(true);
      expect(await signals.insertIfAbsent(first)).toBe(false);
      expect(await signals.insertIfAbsent({ ...first, id: v7() })).toBe(false);
      expect(await signals.findById(first.id)).toMatchObject({ strength: '0.7500', confidence: '0.9000', price: '43210.12345678', suggestedStopLoss: '42000.50000000', indicators: { rsi: 28.5 }, reasonCodes: ['EMA_CROSS_UP', 'RSI_OVERSOLD'], executed: false, rejected: false });

      for (let i = 1; i < 5; i++) await signals.insertIfAbsent(aSignal(bot.id, new Date(t0.getTime() + i * 3_600_000), { target: 'flat', signalType: 'close_long' }));
      const times: number[] = [];
      let page = await signals.listByBot(bot.id, { limit: 2 });
      times.push(...page.items.map((s) => s.candleTime.getTime()));
      while (page.next) {
        page = await signals.listByBot(bot.id, { limit: 2, after: page.next });
        times.push(...page.items.map((s) => s.candleTime.getTime()));
      }
      expect(times).toEqual([4, 3, 2, 1, 0].map((i) => t0.getTime() + i * 3_600_000));
      expect((await signals.listByUser(userId, { limit: 100 })).items.length).toBeGreaterThanOrEqual(5);

      expect(await signals.markExecuted(first.id, 'client-order-1', t0)).toBe(true);
      expect(await signals.markExecuted(first.id, 'client-order-2', t0)).toBe(false);
      expect(await signals.markRejected(first.id, 'risk_denied')).toBe(false);
      await signals.recordOutcome(first.id, 'winner', '12.34567891');
      expect(await signals.findById(first.id)).toMatchObject({ executed: true, executionOrderId: 'client-order-1', outcome: 'winner', outcomePnl: '12.34567891' });

      const second = (await signals.listByBot(bot.id, { limit: 1 })).items[0];
      expect(await signals.markRejected(second.id, 'max_daily_trades', ['MAX_DAILY_TRADES'])).toBe(true);
      expect(await signals.findById(second.id)).toMatchObject({ rejected: true, rejectionReason: 'max_daily_trades', reasonCodes: ['MAX_DAILY_TRADES'], outcome: 'not_executed' });
      expect(await signals.markExecuted(second.id, 'client-order-3', t0)).toBe(false);
    });

    it('signals: a candle\'s signals in one statement store the same row as one by one, each once; the ids stored are returned', async () => {
      const signals = new SignalRepository(ds);
      const bot = await aBot();
      const t0 = new Date('2026-02-02T00:00:00Z');
      const evaluated = (candleTime: Date, target: 'long' | 'flat') => ({
        ...aSignal(bot.id, candleTime, { target, signalType: target === 'long' ? 'long' : 'close_long' }),
        indicators: { fast: 101.25, slow: 100.5 },
        passedFilters: {},
        notes: `crossed "it's" \\ {up}`,
      });
      const one = evaluated(t0, 'long');
      expect(await signals.insertIfAbsent(one)).toBe(true);
      const many = [evaluated(new Date(t0.getTime() + 3_600_000), 'flat'), evaluated(new Date(t0.getTime() + 7_200_000), 'long')];
      const again = { ...one, id: v7() }; // same (bot, candle, target) under another id: ignored
      const stored = await ds.transaction((m) => signals.insertManyIfAbsent([many[0], again, many[1]], m));
      expect([...stored]).toEqual([many[0].id, many[1].id]);
      expect(await ds.transaction((m) => signals.insertManyIfAbsent(many, m))).toEqual(new Set());
      expect(await signals.findById(again.id)).toBeNull();

      const row = async (id: string) => {
        const { id: _id, candleTime: _time, target: _target, signalType: _type, createdAt: _created, ...rest } = (await signals.findById(id)) as SignalEntity;
        return rest;
      };
      expect(await row(many[1].id)).toEqual(await row(one.id));
      expect(await signals.findById(many[0].id)).toMatchObject({ target: 'flat', signalType: 'close_long', candleTime: many[0].candleTime, price: '43210.12345678', indicators: { fast: 101.25, slow: 100.5 }, notes: many[0].notes });
    });

    it('backtests: queued, claimed once, progress, completed with exact results; lists leave the heavy results out', async () => {
      const backtests = new BacktestRepository(ds);
      const owner = v7();
      const created = await backtests.create({ userId: owner, strategyId, strategy: 'ema_rsi', exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h', startTime: new Date('2021-01-01T00:00:00Z'), endTime: new Date('2021-07-01T00:00:00Z'), initialCapital: '10000', params: { emaFast: 9 } });
      expect(created).toMatchObject({ status: 'queued', progress: '0.00', marketType: 'spot', initialCapital: '10000.00000000' });
      const [claimed, none] = await Promise.all([backtests.claimNext(new Date()), backtests.claimNext(new Date())]);
      const got = [claimed, none].filter(Boolean);
      expect(got).toHaveLength(1);
      expect(got[0]).toMatchObject({ id: created.id, status: 'running' });
      expect(await backtests.claimNext(new Date())).toBeNull();
      await backtests.updateProgress(created.id, '42.5');
      expect((await backtests.findById(created.id))?.progress).toBe('42.50');
      await backtests.complete(
        created.id,
        { finalCapital: '12345.67890123', totalReturn: '23.4568', totalTrades: 10, winningTrades: 6, losingTrades: 4, winRate: '60', totalFees: '12.3456789', maxDrawdown: '7.5', sharpeRatio: '1.2345', equityCurve: [{ t: '2021-01-01', equity: '10000' }], dailyResults: [{ day: '2021-01-01', pnl: '1.5' }], monthlyResults: [] },
        new Date('2026-01-01T00:00:00Z'),
      );
      expect(await backtests.findByIdForUser(created.id, owner)).toMatchObject({ status: 'completed', progress: '100.00', finalCapital: '12345.67890123', totalReturn: '23.4568', winRate: '60.00', totalFees: '12.34567890', equityCurve: [{ t: '2021-01-01', equity: '10000' }], finishedAt: new Date('2026-01-01T00:00:00Z') });
      expect(await backtests.findByIdForUser(created.id, userId)).toBeNull();

      const failed = await backtests.create({ userId: owner, strategy: 'ema_rsi', exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h', startTime: new Date('2021-01-01T00:00:00Z'), endTime: new Date('2021-02-01T00:00:00Z'), initialCapital: '100' });
      await backtests.fail(failed.id, 'no candles in range', new Date());
      const page = await backtests.listByUser(owner, { limit: 1 });
      expect(page.items[0]).toMatchObject({ id: failed.id, status: 'failed', error: 'no candles in range' });
      const next = await backtests.listByUser(owner, { limit: 1, after: page.next! });
      expect(next.items[0]).toMatchObject({ id: created.id, finalCapital: '12345.67890123' });
      expect(next.items[0].equityCurve).toBeUndefined();
      expect(next.next).toBeNull();
    });
  });

  it('migrates down to an empty schema and up again', async () => {
    await ds.destroy();
    expect(await migrateDownAll(strategyDatabase, db.url)).toBe(migrationCount);
    ds = await new DataSource(serviceDataSourceOptions(strategyDatabase, db.url, { poolSize: 1 })).initialize();
    expect(await tables()).toEqual(['migrations']);
    expect(await ds.query(`SELECT * FROM strategy.migrations`)).toEqual([]);
    await ds.destroy();
    expect(await migrateUp(strategyDatabase, db.url)).toHaveLength(migrationCount);
    expect(await migrateUp(strategyDatabase, db.url)).toEqual([]);
    ds = await new DataSource(serviceDataSourceOptions(strategyDatabase, db.url, { poolSize: 1 })).initialize();
    expect(await tables()).toEqual(TABLES);
    expect(await schemaDrift(strategyDatabase, db.url)).toEqual([]);
  });
});
