import { createEvent, MarketTickerUpdated } from '@trading/contracts';
import { migrateUp, serviceDataSourceOptions } from '@trading/database';
import { ExchangeFinalError, type PaperExchangeSnapshot } from '@trading/exchange';
import { createTestDatabase, TestDatabase, testRedisUrl, uniqueRedisNamespace } from '@trading/testing';
import Decimal from 'decimal.js';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { v7 } from 'uuid';
import { BotAccountRepository } from '../accounts/bot-account.repository';
import { AccountBalanceRepository } from '../balances/account-balance.repository';
import { BalanceRepository } from '../balances/balance.repository';
import { FillBooker } from '../booking/fill-booker';
import { TradingEngineEnv } from '../config/trading-engine.env';
import { tradingEngineDatabase } from '../database/trading-engine.database';
import { EngineContext } from '../execution/engine-context';
import { OrderDraft, OrderRecorder } from '../execution/order-recorder';
import { PaperOrderDesk } from '../execution/paper-order-desk';
import { openPaperAccount, PAPER_CLOSED_ORDERS_KEPT } from '../execution/paper-venue';
import { LiveExchanges } from '../live/live-exchanges';
import { LiveOrderDesk } from '../live/live-order-desk';
import { OrderRepository } from '../orders/order.repository';
import { PositionRepository } from '../positions/position.repository';
import { TradeRepository } from '../trades/trade.repository';
import { MarketEventProcessor } from './market-event-processor.service';

const T0 = Date.UTC(2026, 0, 5);
const FILLS = 500;

/**
 * The stops consumer against a real database: a bot's paper account stays bounded however many fills it had, and
 * a market event with nothing to do for a bot writes nothing (UPDATEs counted by a trigger).
 */
describe('MarketEventProcessor (paper account size, writes per event)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let redis: Redis;
  let ctx: EngineContext;
  let accounts: BotAccountRepository;
  let orders: OrderRepository;
  let desk: PaperOrderDesk;
  let processor: MarketEventProcessor;
  const botId = v7();
  const userId = v7();
  let second = 0;

  const ticker = (last: string) =>
    createEvent(MarketTickerUpdated.TYPE, { exchange: 'binance', symbol: 'BTC/USDT', last, bid: last, ask: last, baseVolume: '100', time: new Date(T0 + ++second * 1000).toISOString() }, { source: 'market-data' });
  const draft = (side: 'buy' | 'sell', quantity: string): OrderDraft => ({
    clientOrderId: v7(),
    signalId: null,
    botId,
    userId,
    exchange: 'binance',
    symbol: 'BTC/USDT',
    mode: 'paper',
    source: 'manual',
    purpose: 'entry',
    side,
    type: 'market',
    quantity,
    price: null,
    metadata: {},
  });
  const account = async () => (await accounts.find(botId))!;
  const writes = async (): Promise<Record<string, number>> => {
    const rows: { tbl: string; n: string }[] = await ds.query(`SELECT tbl, count(*) AS n FROM public.test_writes GROUP BY tbl`);
    return Object.fromEntries(rows.map((r) => [r.tbl, Number(r.n)]));
  };

  beforeAll(async () => {
    db = await createTestDatabase('engine_market_events');
    await migrateUp(tradingEngineDatabase, db.url);
    ds = new DataSource(serviceDataSourceOptions(tradingEngineDatabase, db.url, { poolSize: 3 }));
    await ds.initialize();
    await ds.query(`CREATE TABLE public.test_writes (tbl text NOT NULL)`);
    await ds.query(`CREATE FUNCTION public.count_write() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO public.test_writes VALUES (TG_TABLE_NAME || ':' || TG_OP); RETURN NULL; END $$`);
    for (const table of ['bot_accounts', 'positions', 'orders', 'trades', 'processed_events', 'outbox']) {
      await ds.query(`CREATE TRIGGER count_writes AFTER INSERT OR UPDATE OR DELETE ON trading.${table} FOR EACH ROW EXECUTE FUNCTION public.count_write()`);
    }
    redis = new Redis(testRedisUrl());
    // a flush interval far beyond the test: display marks are written only when the test flushes them
    const config = Object.assign(new TradingEngineEnv(), { DATABASE_URL: db.url, REDIS_URL: testRedisUrl(), REDIS_NAMESPACE: uniqueRedisNamespace('engine-market-events'), POSITION_MARK_FLUSH_MS: 3_600_000 });
    ctx = new EngineContext(config, redis, ds);
    accounts = new BotAccountRepository(ds);
    orders = new OrderRepository(ds);
    const positions = new PositionRepository(ds);
    const recorder = new OrderRecorder(orders);
    const booker = new FillBooker(orders, new TradeRepository(ds), positions, new BalanceRepository(ds), new AccountBalanceRepository(ds), accounts);
    desk = new PaperOrderDesk(ctx, ds, accounts, orders, recorder, booker);
    processor = new MarketEventProcessor(ctx, accounts, orders, positions, recorder, booker, new LiveOrderDesk(ctx, new LiveExchanges(ctx), accounts, orders, recorder, booker));

    await ds.transaction((manager) =>
      accounts.ensure({ botId, userId, mode: 'paper', marketType: 'spot', exchange: 'binance', quoteCurrency: 'USDT', initialCapital: '100000', cash: '100000' }, manager),
    );
    const paper = openPaperAccount(await account(), ['BTC/USDT'], ctx.paper);
    paper.onTicker({ symbol: 'BTC/USDT', timestamp: T0, last: '100' });
    await accounts.update(botId, { paperSnapshot: paper.toJSON() as unknown as Record<string, unknown> });
  }, 60_000);

  afterAll(async () => {
    await processor?.onApplicationShutdown();
    await ctx?.onApplicationShutdown();
    redis?.disconnect();
    await ds?.destroy();
    await db?.drop();
  });

  it(`keeps a bounded paper account after ${FILLS} fills, with every order and trade still in PostgreSQL`, async () => {
    const firstIds: string[] = [];
    for (let i = 0; i < FILLS; i++) {
      const [order] = await desk.place(await account(), [draft(i % 2 === 0 ? 'buy' : 'sell', '1')], { checkRisk: false, cause: {} });
      if (i < 3) firstIds.push(order!.clientOrderId);
      await processor.handle(ticker(String(100 + (i % 7))));
    }
    const stored = await account();
    const snapshot = stored.paperSnapshot as unknown as PaperExchangeSnapshot;

    expect(await ds.query(`SELECT status, count(*)::int AS n FROM trading.orders WHERE bot_id = $1 GROUP BY status`, [botId])).toEqual([{ status: 'filled', n: FILLS }]);
    expect(await ds.query(`SELECT count(*)::int AS n FROM trading.trades WHERE bot_id = $1`, [botId])).toEqual([{ n: FILLS }]);
    expect(snapshot.orders.length).toBeLessThanOrEqual(2 * PAPER_CLOSED_ORDERS_KEPT);
    expect(snapshot.trades.length).toBeLessThanOrEqual(2 * PAPER_CLOSED_ORDERS_KEPT);
    expect(snapshot.sequence).toBe(FILLS);
    // the ledger's cash is the paper account's quote money (fees charged in quote), to the last digit
    const usdt = snapshot.balances['USDT']!;
    expect(new Decimal(usdt.free).plus(usdt.used).toFixed()).toBe(new Decimal(stored.cash).toFixed());
    // an old order: forgotten by the paper account, still found (and refused as a duplicate) by PostgreSQL
    const paper = openPaperAccount(stored, ['BTC/USDT'], ctx.paper);
    const forgotten = await paper.fetchOrder({ symbol: 'BTC/USDT', clientOrderId: firstIds[0]! }).catch((e: unknown) => e);
    expect(forgotten).toBeInstanceOf(ExchangeFinalError);
    expect(await orders.findByClientOrderId(firstIds[0]!)).toMatchObject({ status: 'filled', filledQuantity: '1.00000000' });
    const duplicate = await desk.place(stored, [{ ...draft('buy', '1'), clientOrderId: firstIds[1]! }], { checkRisk: false, cause: {} }).catch((e: unknown) => e);
    expect(duplicate).toBeInstanceOf(Error);
    expect(await ds.query(`SELECT count(*)::int AS n FROM trading.orders WHERE client_order_id = $1`, [firstIds[1]])).toEqual([{ n: 1 }]);
  }, 120_000);

  it('a market event with nothing to do writes nothing; a new high-water mark is one UPDATE of the position', async () => {
    await desk.place(await account(), [draft('buy', '1')], { checkRisk: false, cause: {} });
    await processor.handle(ticker('100'));
    const [position] = await ds.query(`SELECT id, current_price, highest_price, updated_at FROM trading.positions WHERE bot_id = $1 AND status = 'open'`, [botId]);
    expect(position).toMatchObject({ current_price: '100.00000000', highest_price: '100.00000000' });
    const before = { writes: await writes(), account: await account() };

    await processor.handle(ticker('100')); // same price: nothing moves
    await processor.handle(ticker('99.5')); // below the high-water mark, no stop: only the display mark moves (buffered)
    expect(await writes()).toEqual(before.writes);
    const after = await account();
    expect(after.updatedAt).toEqual(before.account.updatedAt);
    expect(after.paperSnapshot).toEqual(before.account.paperSnapshot);

    await processor.handle(ticker('101')); // a new high: the trailing mark is written at once, the account is not
    expect(await writes()).toEqual({ ...before.writes, 'positions:UPDATE': (before.writes['positions:UPDATE'] ?? 0) + 1 });
    expect(await ds.query(`SELECT current_price, highest_price FROM trading.positions WHERE id = $1`, [position.id])).toEqual([{ current_price: '101.00000000', highest_price: '101.00000000' }]);

    await processor.handle(ticker('100.25'));
    expect(processor.marks.size).toBe(1);
    expect(await processor.marks.flush()).toBe(1);
    expect(await ds.query(`SELECT current_price, unrealized_pnl, highest_price FROM trading.positions WHERE id = $1`, [position.id])).toEqual([
      { current_price: '100.25000000', unrealized_pnl: '0.25000000', highest_price: '101.00000000' },
    ]);
    expect((await account()).updatedAt).toEqual(before.account.updatedAt);
  }, 60_000);
});
