import { migrateDownAll, migrateUp, schemaDrift, serviceDataSourceOptions } from '@trading/database';
import { TestDatabase, createTestDatabase, CHECK_VIOLATION, UNIQUE_VIOLATION, refusal, FOREIGN_KEY_VIOLATION, tablesOf as tablesOfSchema } from '@trading/testing';
import { DataSource } from 'typeorm';
import { v7 } from 'uuid';
import { AccountBalanceRepository } from '../balances/account-balance.repository';
import { BalanceRepository } from '../balances/balance.repository';
import { NewOrder, OrderRepository } from '../orders/order.repository';
import { PortfolioRepository } from '../portfolios/portfolio.repository';
import { NewPosition, PositionRepository } from '../positions/position.repository';
import { NewTrade, TradeRepository } from '../trades/trade.repository';
import { tradingEngineDatabase } from './trading-engine.database';

const TABLES = [
  'account_balance',
  'balances',
  'bot_accounts',
  'migrations',
  'orders',
  'outbox',
  'portfolios',
  'position_adjustments',
  'positions',
  'processed_events',
  'trades',
];

/** The PostgreSQL error a write was refused with (fails the test if the write succeeded). */

describe('trading-engine database (schema trading)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let orders: OrderRepository;
  let trades: TradeRepository;
  let positions: PositionRepository;
  let balances: BalanceRepository;
  let history: AccountBalanceRepository;
  let portfolios: PortfolioRepository;
  const userId = v7();
  const botId = v7();

  const anOrder = (overrides: Partial<NewOrder> = {}): NewOrder => ({
    clientOrderId: v7(),
    botId,
    userId,
    exchange: 'binance',
    symbol: 'BTC/USDT',
    orderType: 'limit',
    side: 'buy',
    quantity: '0.5',
    price: '43210.12345678',
    ...overrides,
  });
  const aTrade = (orderId: string, overrides: Partial<NewTrade> = {}): NewTrade => ({
    tradeId: `T-${v7()}`,
    orderId,
    botId,
    userId,
    exchange: 'binance',
    symbol: 'BTC/USDT',
    side: 'buy',
    price: '43210.12345678',
    quantity: '0.00012345',
    quoteQuantity: '5.33428474',
    fee: '0.00533428',
    feeCurrency: 'USDT',
    executedAt: new Date('2026-11-20T10:00:00.123Z'),
    ...overrides,
  });
  const aPosition = (overrides: Partial<NewPosition> = {}): NewPosition => ({
    botId,
    userId,
    exchange: 'binance',
    symbol: 'ETH/USDT',
    side: 'long',
    size: '1.25',
    avgEntryPrice: '2500.5',
    ...overrides,
  });

  beforeAll(async () => {
    db = await createTestDatabase('trading_engine');
    await migrateUp(tradingEngineDatabase, db.url);
    ds = new DataSource(serviceDataSourceOptions(tradingEngineDatabase, db.url, { poolSize: 3 }));
    await ds.initialize();
    orders = new OrderRepository(ds);
    trades = new TradeRepository(ds);
    positions = new PositionRepository(ds);
    balances = new BalanceRepository(ds);
    history = new AccountBalanceRepository(ds);
    portfolios = new PortfolioRepository(ds);
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  const tablesOf = (schema: string) => tablesOfSchema(ds, schema);

  it('creates every table of the schema', async () => {
    expect(await tablesOf('trading')).toEqual(TABLES);
  });

  it('has no drift between entities and migrations', async () => {
    expect(await schemaDrift(tradingEngineDatabase, db.url)).toEqual([]);
  });

  describe('orders', () => {
    it('round-trips through the repository with exact numerics and pages newest first by (created_at, id)', async () => {
      const owner = v7();
      const created = [];
      for (let i = 0; i < 5; i++)
        created.push(
          await orders.create(
            anOrder({ userId: owner, quantity: `0.0000000${i + 1}`, reasonCodes: ['a', 'b'], orderMetadata: { i } }),
          ),
        );
      const first = created[0]!;
      const read = await orders.findById(first.id);
      expect(read).toMatchObject({
        clientOrderId: first.clientOrderId,
        quantity: '0.00000001',
        remainingQuantity: '0.00000001',
        price: '43210.12345678',
        filledQuantity: '0.00000000',
        status: 'pending',
        source: 'strategy',
        mode: 'live',
        retryCount: 0,
        reasonCodes: ['a', 'b'],
        orderMetadata: { i: 0 },
      });
      expect(await orders.findByClientOrderId(first.clientOrderId)).toMatchObject({ id: first.id });

      const expected = [...created]
        .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1))
        .map((o) => o.id);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await orders.listByUser(owner, { limit: 2, cursor });
        seen.push(...page.items.map((o) => o.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(expected);

      await orders.update(first.id, {
        status: 'filled',
        filledQuantity: '0.00000001',
        remainingQuantity: '0',
        avgFillPrice: '43210.5',
      });
      expect(await orders.findById(first.id)).toMatchObject({ status: 'filled', avgFillPrice: '43210.50000000' });
      expect((await orders.findActiveByBot(botId)).map((o) => o.id)).not.toContain(first.id);
    });

    it('refuses a second order with the same client_order_id', async () => {
      const order = await orders.create(anOrder());
      expect(await refusal(orders.create(anOrder({ clientOrderId: order.clientOrderId })))).toEqual({
        code: UNIQUE_VIOLATION,
        constraint: 'uq_orders_client_order_id',
      });
    });

    it.each([
      ['valid_side', { side: 'FOO' as never }],
      ['valid_status', { status: 'open' as never }],
      ['valid_source', { source: 'ai' as never }],
      ['valid_order_type', { orderType: 'iceberg' as never }],
      ['valid_order_purpose', { orderPurpose: 'hedge' as never }],
      ['positive_quantity', { quantity: '0' }],
      ['valid_filled_quantity', { quantity: '1', filledQuantity: '1.00000001' }],
      ['valid_prices', { price: '-1' }],
      ['valid_mode', { mode: 'backtest' as never }],
    ])('refuses an order violating %s', async (constraint, overrides) => {
      expect(await refusal(orders.create(anOrder(overrides)))).toEqual({ code: CHECK_VIOLATION, constraint });
    });
  });

  describe('trades', () => {
    it('records a fill once, with exact numerics', async () => {
      const order = await orders.create(anOrder());
      const input = aTrade(order.id, { realizedPnl: '-12.34567891', liquidity: 'maker' });
      const first = await trades.record(input);
      expect(first.inserted).toBe(true);
      expect(first.trade).toMatchObject({
        price: '43210.12345678',
        quantity: '0.00012345',
        quoteQuantity: '5.33428474',
        fee: '0.00533428',
        realizedPnl: '-12.34567891',
        liquidity: 'maker',
        executedAt: new Date('2026-11-20T10:00:00.123Z'),
      });
      const again = await trades.record({ ...input, price: '1' });
      expect(again).toEqual({ trade: first.trade, inserted: false });
      expect((await trades.listByOrder(order.id)).map((t) => t.id)).toEqual([first.trade.id]);
      expect((await trades.listByBot(botId, { limit: 10 })).items.map((t) => t.id)).toContain(first.trade.id);
    });

    it.each([
      ['valid_side', { side: 'FOO' as never }],
      ['positive_price', { price: '0' }],
      ['positive_quantity', { quantity: '-0.1' }],
      ['valid_liquidity', { liquidity: 'both' as never }],
    ])('refuses a trade violating %s', async (constraint, overrides) => {
      const order = await orders.create(anOrder());
      expect(await refusal(trades.record(aTrade(order.id, overrides)))).toEqual({ code: CHECK_VIOLATION, constraint });
    });

    it('refuses a trade of an unknown order', async () => {
      expect(await refusal(trades.record(aTrade(v7())))).toEqual({
        code: FOREIGN_KEY_VIOLATION,
        constraint: 'fk_trades_order',
      });
    });
  });

  describe('positions', () => {
    it('round-trips through the repository with exact numerics', async () => {
      const position = await positions.create(
        aPosition({
          symbol: 'SOL/USDT',
          realizedPnl: '123456789012345.12345678',
          entryTradeIds: ['t1'],
          metadata: { note: 'x' },
        }),
      );
      const read = await positions.findOpen({ userId, botId, exchange: 'binance', symbol: 'SOL/USDT' });
      expect(read).toMatchObject({
        id: position.id,
        size: '1.25000000',
        avgEntryPrice: '2500.50000000',
        realizedPnl: '123456789012345.12345678',
        status: 'open',
        leverage: 1,
        entryTradeIds: ['t1'],
        metadata: { note: 'x' },
      });
      expect((await positions.listByUser(userId, { limit: 50 })).items.map((p) => p.id)).toContain(position.id);
    });

    it('refuses a position of size 0', async () => {
      expect(await refusal(positions.create(aPosition({ size: '0' })))).toEqual({
        code: CHECK_VIOLATION,
        constraint: 'positive_size',
      });
    });

    it.each([
      ['valid_side', { side: 'buy' as never }],
      ['valid_status', { status: 'flat' as never }],
      ['valid_closed_at', { status: 'closed' as const }],
      ['valid_trailing_stop_pct', { trailingStopPct: '1.5' }],
    ])('refuses a position violating %s', async (constraint, overrides) => {
      expect(await refusal(positions.create(aPosition(overrides)))).toEqual({ code: CHECK_VIOLATION, constraint });
    });

    it('allows one open position per bot and symbol, and a new one once the first is closed', async () => {
      const first = await positions.create(aPosition({ symbol: 'ADA/USDT' }));
      expect(await refusal(positions.create(aPosition({ symbol: 'ADA/USDT', side: 'short' })))).toEqual({
        code: UNIQUE_VIOLATION,
        constraint: 'uq_positions_open',
      });
      await positions.update(first.id, { status: 'closed', closedAt: new Date() });
      await expect(positions.create(aPosition({ symbol: 'ADA/USDT' }))).resolves.toMatchObject({ status: 'open' });
    });

    it('treats manual positions (no bot) of one user, exchange and symbol as the same key', async () => {
      await positions.create(aPosition({ botId: null, symbol: 'XRP/USDT' }));
      expect(await refusal(positions.create(aPosition({ botId: null, symbol: 'XRP/USDT' })))).toEqual({
        code: UNIQUE_VIOLATION,
        constraint: 'uq_positions_open',
      });
    });
  });

  describe('balances and portfolios', () => {
    it('sets and reads back the current balance, refusing negative amounts', async () => {
      await balances.set({ botId, userId, currency: 'USDT', free: '1000.5', locked: '0.00000001' });
      const updated = await balances.set({
        botId,
        userId,
        currency: 'USDT',
        free: '999.12345678',
        locked: '1.37654322',
      });
      expect(updated).toMatchObject({ free: '999.12345678', locked: '1.37654322' });
      expect(await balances.listByBot(botId)).toHaveLength(1);
      expect(await refusal(balances.set({ botId, userId, currency: 'BTC', free: '-0.1', locked: '0' }))).toEqual({
        code: CHECK_VIOLATION,
        constraint: 'valid_balance',
      });
    });

    it('records the balance history, refusing negative totals and unknown snapshot types', async () => {
      const snapshot = await history.record({
        botId,
        userId,
        currency: 'USDT',
        totalBalance: '1000',
        availableBalance: '900.5',
        lockedBalance: '99.5',
        equity: '1010.25',
        snapshotType: 'trade_open',
      });
      expect(await history.latest(botId, 'USDT')).toMatchObject({
        id: snapshot.id,
        totalBalance: '1000.00000000',
        equity: '1010.25000000',
        snapshotType: 'trade_open',
      });
      expect(
        await refusal(
          history.record({ botId, userId, currency: 'USDT', totalBalance: '-1', availableBalance: '0', equity: '0' }),
        ),
      ).toEqual({ code: CHECK_VIOLATION, constraint: 'positive_total_balance' });
      expect(
        await refusal(
          history.record({
            botId,
            userId,
            currency: 'USDT',
            totalBalance: '1',
            availableBalance: '1',
            equity: '1',
            snapshotType: 'hourly' as never,
          }),
        ),
      ).toEqual({ code: CHECK_VIOLATION, constraint: 'valid_snapshot_type' });
    });

    it('records what an exchange account reported (reconciliation: a key, no bot); a row of neither is refused', async () => {
      const exchangeKeyId = v7();
      const check = await history.record({
        botId: null,
        userId,
        currency: 'BTC',
        totalBalance: '0.1',
        availableBalance: '0.09',
        lockedBalance: '0.01',
        equity: '0.1',
        snapshotType: 'reconciliation',
        exchange: 'binance',
        exchangeKeyId,
        ledgerBalance: '0.13986',
      });
      expect(check).toMatchObject({ botId: null, exchangeKeyId, totalBalance: '0.10000000', ledgerBalance: '0.13986000', snapshotType: 'reconciliation' });
      expect(
        await refusal(history.record({ botId: null, userId, currency: 'BTC', totalBalance: '1', availableBalance: '1', equity: '1', snapshotType: 'reconciliation' })),
      ).toEqual({ code: CHECK_VIOLATION, constraint: 'account_balance_owner' });
    });

    it('keeps one default portfolio and unique names per user', async () => {
      const main = await portfolios.create({ userId, name: 'Main', isDefault: true });
      expect(await portfolios.findDefault(userId)).toMatchObject({ id: main.id, baseCurrency: 'USDT' });
      expect(await refusal(portfolios.create({ userId, name: 'Other', isDefault: true }))).toEqual({
        code: UNIQUE_VIOLATION,
        constraint: 'uq_portfolios_user_default',
      });
      expect(await refusal(portfolios.create({ userId, name: 'Main' }))).toEqual({
        code: UNIQUE_VIOLATION,
        constraint: 'uq_portfolios_user_name',
      });
      const order = await orders.create(anOrder({ portfolioId: main.id }));
      expect(await orders.findById(order.id)).toMatchObject({ portfolioId: main.id });
    });
  });

  it('reverts every migration, leaving only the migrations table, and applies them again', async () => {
    await migrateDownAll(tradingEngineDatabase, db.url);
    expect(await tablesOf('trading')).toEqual(['migrations']);
    expect(await ds.query(`SELECT count(*)::int AS n FROM trading.migrations`)).toEqual([{ n: 0 }]);
    await migrateUp(tradingEngineDatabase, db.url);
    expect(await tablesOf('trading')).toEqual(TABLES);
    expect(await schemaDrift(tradingEngineDatabase, db.url)).toEqual([]);
  });
});
