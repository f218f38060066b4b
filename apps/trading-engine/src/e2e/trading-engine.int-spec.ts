import { Streams } from '@trading/contracts';
import { EngineHarness, EngineProcess } from './engine.fixture';

interface OrderRow {
  client_order_id: string;
  side: string;
  status: string;
  quantity: string;
  filled_quantity: string;
  avg_fill_price: string | null;
  fees: string;
  rejection_reason: string | null;
  reason_codes: string[] | null;
  order_purpose: string | null;
  source: string;
}
interface TradeRow {
  side: string;
  price: string;
  quantity: string;
  quote_quantity: string;
  fee: string;
  realized_pnl: string;
}

describe('trading-engine (built service, real PostgreSQL and Redis, stand-in risk and strategy)', () => {
  const h = new EngineHarness();
  let engine: EngineProcess;

  beforeAll(async () => {
    await h.start('trading_engine_e2e');
    engine = await h.startEngine('engine-a');
  }, 90_000);

  afterAll(() => h.stop(), 30_000);

  const ordersOf = (botId: string) => h.query<OrderRow>(`SELECT * FROM trading.orders WHERE bot_id = $1 ORDER BY created_at, id`, [botId]);
  const tradesOf = (botId: string) => h.query<TradeRow>(`SELECT * FROM trading.trades WHERE bot_id = $1 ORDER BY executed_at, id`, [botId]);

  it('a replayed series gives exactly the orders, fills, fees and P&L worked out by hand', async () => {
    h.behaviour.risk = 'allow';
    const bot = h.addBot({ initialCapital: '10000', positionSizePct: '50' });
    // long at the 00:00 candle's close 40000: 50 % of 10 000 = 5 000 / 40 000 = 0.125 BTC (lot step 0.00001)
    await h.publishSignals([h.signal(bot, 'long', '2026-01-05T00:00:00.000Z', '40000')]);
    await h.waitFor(async () => (await ordersOf(bot.id)).length === 1, 'entry order');
    expect(await ordersOf(bot.id)).toMatchObject([{ side: 'buy', status: 'submitted', quantity: '0.12500000', order_purpose: 'entry', client_order_id: expect.stringMatching(/^[A-Za-z0-9_-]{32}$/) }]);
    // the market order fills at the next price: 40 100 -> notional 5 012.5, fee 0.1 % = 5.0125
    await h.publishTicker(h.ticker(bot, '40100', '2026-01-05T00:01:10.000Z'));
    await h.waitFor(async () => (await ordersOf(bot.id))[0]?.status === 'filled', 'entry filled');
    // flat at the 00:05 candle: sell the 0.125; fills at 40 900.5 -> notional 5 112.5625, fee 5.1125625
    await h.publishSignals([h.signal(bot, 'flat', '2026-01-05T00:05:00.000Z', '41000')]);
    await h.waitFor(async () => (await ordersOf(bot.id)).length === 2, 'exit order');
    await h.publishTicker(h.ticker(bot, '40900.5', '2026-01-05T00:06:10.000Z'));
    await h.waitFor(async () => (await ordersOf(bot.id))[1]?.status === 'filled', 'exit filled');

    expect(await tradesOf(bot.id)).toEqual([
      expect.objectContaining({ side: 'buy', price: '40100.00000000', quantity: '0.12500000', quote_quantity: '5012.50000000', fee: '5.01250000', realized_pnl: '0.00000000' }),
      // realised: 5 112.5625 - 5 012.5 = 100.0625 gross, minus this fee 5.1125625 and the entry fee 5.0125 = 89.9374375
      expect.objectContaining({ side: 'sell', price: '40900.50000000', quantity: '0.12500000', quote_quantity: '5112.56250000', fee: '5.11256250', realized_pnl: '89.93743750' }),
    ]);
    const [position] = await h.query<{ status: string; realized_pnl: string; fees_paid: string; avg_entry_price: string }>(`SELECT * FROM trading.positions WHERE bot_id = $1`, [bot.id]);
    // net of both fees: 100.0625 - 5.0125 - 5.1125625 = 89.9374375
    expect(position).toMatchObject({ status: 'closed', realized_pnl: '89.93743750', fees_paid: '10.12506250', avg_entry_price: '40100.00000000' });
    // cash: 10 000 - 5 012.5 - 5.0125 + 5 112.5625 - 5.1125625 = 10 089.9374375 (exact in bot_accounts, 8 dp in balances)
    expect(await h.query(`SELECT cash FROM trading.bot_accounts WHERE bot_id = $1`, [bot.id])).toEqual([{ cash: '10089.9374375' }]);
    expect(await h.query(`SELECT currency, free FROM trading.balances WHERE bot_id = $1 ORDER BY currency`, [bot.id])).toEqual([
      { currency: 'BTC', free: '0.00000000' },
      { currency: 'USDT', free: '10089.93743750' },
    ]);
    expect(await h.query(`SELECT snapshot_type, total_balance FROM trading.account_balance WHERE bot_id = $1 ORDER BY "timestamp"`, [bot.id])).toEqual([
      { snapshot_type: 'trade_open', total_balance: '4982.48750000' },
      { snapshot_type: 'trade_close', total_balance: '10089.93743750' },
    ]);
    await h.waitFor(async () => (await h.streamTypes(Streams.Trades)).length >= 4, 'trade events published');
    const orderEvents = await h.streamEvents<{ type: string; payload: { botId: string } }>(Streams.Orders);
    expect(orderEvents.filter((e) => e.payload.botId === bot.id).map((e) => e.type)).toEqual(['order.placed', 'order.filled', 'order.placed', 'order.filled']);
    const tradeEvents = await h.streamEvents<{ type: string; payload: { botId: string; realizedPnl: string; side?: string } }>(Streams.Trades);
    expect(tradeEvents.filter((e) => e.payload.botId === bot.id).map((e) => [e.type, e.payload.realizedPnl])).toEqual([
      ['trade.executed', '0'],
      ['position.changed', '-5.0125'],
      ['trade.executed', '89.9374375'],
      ['position.changed', '89.9374375'],
    ]);
  });

  it('a redelivered or duplicated signal places no second order', async () => {
    const bot = h.addBot();
    const signal = h.signal(bot, 'long', '2026-01-05T01:00:00.000Z', '40000');
    const copy = { ...signal, id: h.signal(bot, 'long', '2026-01-05T01:00:00.000Z', '40000').id };
    await h.publishSignals([signal, signal, copy]);
    await h.waitFor(() => h.groupDone(Streams.StrategySignals, 'trading-engine'), 'all three deliveries handled and acked');
    expect(await ordersOf(bot.id)).toHaveLength(1);
  });

  it('risk denying: no order reaches the exchange and the denial is recorded with its reason codes', async () => {
    h.behaviour.risk = 'deny';
    h.behaviour.denyReasons = ['MAX_POSITION_SIZE', 'DAILY_LOSS_LIMIT'];
    const bot = h.addBot();
    await h.publishSignals([h.signal(bot, 'long', '2026-01-05T02:00:00.000Z', '40000')]);
    await h.waitFor(async () => (await ordersOf(bot.id)).length === 1, 'denial recorded');
    expect(await ordersOf(bot.id)).toMatchObject([{ status: 'rejected', rejection_reason: 'risk_denied', reason_codes: ['MAX_POSITION_SIZE', 'DAILY_LOSS_LIMIT'], filled_quantity: '0.00000000' }]);
    expect(await h.query(`SELECT paper_snapshot FROM trading.bot_accounts WHERE bot_id = $1 AND paper_snapshot IS NOT NULL`, [bot.id])).toEqual([]);
    await h.waitFor(async () => (await h.streamEvents<{ type: string; payload: { botId: string } }>(Streams.Orders)).some((e) => e.type === 'order.rejected' && e.payload.botId === bot.id), 'OrderRejected published');
    const rejected = (await h.streamEvents<{ type: string; payload: { botId: string; reasons: string[]; rejectedBy: string } }>(Streams.Orders)).find((e) => e.type === 'order.rejected' && e.payload.botId === bot.id);
    expect(rejected?.payload).toMatchObject({ rejectedBy: 'risk', reasons: ['RISK_MAX_POSITION_SIZE', 'RISK_MAX_DAILY_LOSS'] });
  });

  it('risk not answering: fail closed, nothing placed, recorded as risk_unavailable', async () => {
    h.behaviour.risk = 'silent';
    const bot = h.addBot();
    await h.publishSignals([h.signal(bot, 'long', '2026-01-05T03:00:00.000Z', '40000')]);
    await h.waitFor(async () => (await ordersOf(bot.id)).length === 1, 'rejection recorded');
    expect(await ordersOf(bot.id)).toMatchObject([{ status: 'rejected', rejection_reason: 'risk_unavailable', reason_codes: ['risk_unavailable'] }]);
    expect(await h.query(`SELECT 1 FROM trading.trades WHERE bot_id = $1`, [bot.id])).toEqual([]);
    h.behaviour.risk = 'allow';
  });

  it('a spot bot cannot go short', async () => {
    const bot = h.addBot();
    await h.publishSignals([h.signal(bot, 'short', '2026-01-05T04:00:00.000Z', '40000')]);
    await h.waitFor(async () => (await ordersOf(bot.id)).length === 1, 'rejection recorded');
    expect(await ordersOf(bot.id)).toMatchObject([{ status: 'rejected', rejection_reason: 'short_not_allowed' }]);
  });

  it('a long with a stop loss is closed when a ticker crosses it', async () => {
    h.behaviour.risk = 'allow';
    const bot = h.addBot({ stopLossPct: '2' });
    await h.publishSignals([h.signal(bot, 'long', '2026-01-05T05:00:00.000Z', '40000')]);
    await h.waitFor(async () => (await ordersOf(bot.id)).length === 1, 'entry');
    await h.publishTicker(h.ticker(bot, '40000', '2026-01-05T05:01:01.000Z'));
    await h.waitFor(async () => (await h.query(`SELECT 1 FROM trading.positions WHERE bot_id = $1 AND status = 'open'`, [bot.id])).length === 1, 'position open');
    expect(await h.query(`SELECT stop_loss FROM trading.positions WHERE bot_id = $1`, [bot.id])).toEqual([{ stop_loss: '39200.00000000' }]);
    await h.publishTicker(h.ticker(bot, '39250', '2026-01-05T05:01:02.000Z'));
    await h.publishTicker(h.ticker(bot, '39199.99', '2026-01-05T05:01:03.000Z'));
    await h.waitFor(async () => (await ordersOf(bot.id)).length === 2, 'stop order');
    expect((await ordersOf(bot.id))[1]).toMatchObject({ side: 'sell', source: 'stop_loss', order_purpose: 'stop_loss', quantity: '0.12500000' });
    await h.publishTicker(h.ticker(bot, '39150', '2026-01-05T05:01:04.000Z'));
    await h.waitFor(async () => (await h.query(`SELECT 1 FROM trading.positions WHERE bot_id = $1 AND status = 'closed'`, [bot.id])).length === 1, 'position closed');
    expect((await tradesOf(bot.id)).map((t) => [t.side, t.price])).toEqual([
      ['buy', '40000.00000000'],
      ['sell', '39150.00000000'],
    ]);
  });

  it('the trailing high-water mark survives an engine restart', async () => {
    const bot = h.addBot({ symbol: 'ETH/USDT', trailingStopPct: '5', trailingStopActive: true });
    await h.publishSignals([h.signal(bot, 'long', '2026-01-05T06:00:00.000Z', '100')]);
    await h.waitFor(async () => (await ordersOf(bot.id)).length === 1, 'entry');
    await h.publishTicker(h.ticker(bot, '100', '2026-01-05T06:01:01.000Z'));
    await h.publishTicker(h.ticker(bot, '110', '2026-01-05T06:01:02.000Z'));
    await h.waitFor(async () => (await h.query(`SELECT 1 FROM trading.positions WHERE bot_id = $1 AND highest_price = 110`, [bot.id])).length === 1, 'high-water mark 110');

    await h.kill(engine, 'SIGKILL');
    engine = await h.startEngine('engine-a');
    // 105 is above 110 x 0.95 = 104.5: still open (and above 100 x 0.95, so a lost mark would not show here)
    await h.publishTicker(h.ticker(bot, '105', '2026-01-05T06:01:03.000Z'));
    await h.waitFor(async () => (await h.query(`SELECT 1 FROM trading.positions WHERE bot_id = $1 AND current_price = 105`, [bot.id])).length === 1, 'ticker seen');
    expect(await ordersOf(bot.id)).toHaveLength(1);
    expect(await h.query(`SELECT highest_price, trailing_stop_pct FROM trading.positions WHERE bot_id = $1`, [bot.id])).toEqual([{ highest_price: '110.00000000', trailing_stop_pct: '0.0500' }]);
    // 104.4 crosses 104.5, the stop trailing the 110 mark (a mark lost to the restart would trail 105 or 100)
    await h.publishTicker(h.ticker(bot, '104.4', '2026-01-05T06:01:04.000Z'));
    await h.waitFor(async () => (await ordersOf(bot.id)).length === 2, 'trailing stop order');
    expect((await ordersOf(bot.id))[1]).toMatchObject({ side: 'sell', source: 'trailing_stop' });
  });
});
