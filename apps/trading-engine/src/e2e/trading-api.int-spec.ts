import { createEvent, RiskLimitBreached, RpcPatterns, Streams } from '@trading/contracts';
import { RpcClient, RpcRemoteError } from '@trading/streams';
import { testRedisUrl } from '@trading/testing';
import { v7 } from 'uuid';
import { EngineHarness } from './engine.fixture';

describe('trading-engine RPC for the gateway, and risk flattening (built service)', () => {
  const h = new EngineHarness();
  let rpc: RpcClient;

  beforeAll(async () => {
    await h.start('trading_engine_api');
    await h.startEngine('api-a');
    rpc = new RpcClient({ redisUrl: testRedisUrl(), namespace: h.namespace, defaultTimeoutMs: 5000 });
  }, 90_000);

  afterAll(async () => {
    if (process.env.ENGINE_DEBUG_OUTPUT) process.stdout.write(h.output());
    await rpc?.close();
    await h.stop();
  }, 30_000);

  const remoteStatus = (p: Promise<unknown>) => p.then(() => 200, (e: unknown) => (e instanceof RpcRemoteError ? e.status : -1));

  async function aLongBot(symbol = 'BTC/USDT', price = '40000') {
    const bot = h.addBot({ symbol });
    await h.cacheTicker(bot.exchange, symbol, price, '2030-01-01T00:00:00.000Z');
    await h.publishSignals([h.signal(bot, 'long', '2026-02-01T00:00:00.000Z', price)]);
    await h.waitFor(async () => (await h.query(`SELECT 1 FROM trading.positions WHERE bot_id = $1 AND status = 'open'`, [bot.id])).length === 1, 'open position');
    return bot;
  }

  it('lists, gets and pages only the caller’s records; another user’s are not found; an admin sees all', async () => {
    const bot = await aLongBot();
    const owner = { userId: bot.userId, role: 'trader' as const };
    const stranger = { userId: v7(), role: 'trader' as const };
    const admin = { userId: v7(), role: 'admin' as const };
    const mine = await rpc.send(RpcPatterns.TradingOrdersList, { caller: owner, limit: 10 });
    expect(mine.items).toHaveLength(1);
    expect(mine.items[0]).toMatchObject({ botId: bot.id, status: 'filled', source: 'strategy', side: 'buy' });
    expect((await rpc.send(RpcPatterns.TradingOrdersList, { caller: stranger })).items).toEqual([]);
    expect((await rpc.send(RpcPatterns.TradingOrdersList, { caller: admin, botId: bot.id })).items).toHaveLength(1);
    const orderId = mine.items[0]!.id;
    expect(await rpc.send(RpcPatterns.TradingOrdersGet, { caller: owner, orderId })).toMatchObject({ id: orderId });
    expect(await remoteStatus(rpc.send(RpcPatterns.TradingOrdersGet, { caller: stranger, orderId }))).toBe(404);
    expect((await rpc.send(RpcPatterns.TradingTradesList, { caller: owner })).items).toHaveLength(1);
    expect((await rpc.send(RpcPatterns.TradingPositionsList, { caller: owner, status: 'open' })).items).toMatchObject([{ botId: bot.id, side: 'long', size: '0.12500000' }]);
    expect((await rpc.send(RpcPatterns.TradingBalancesList, { caller: owner })).items.map((b) => b.currency)).toEqual(['BTC', 'USDT']);
    expect((await rpc.send(RpcPatterns.TradingBalancesList, { caller: stranger, botId: bot.id })).items).toEqual([]);
    expect(await remoteStatus(rpc.send(RpcPatterns.TradingOrdersList, { caller: owner, cursor: 'garbage' }))).toBe(400);
  });

  it('places a manual limit order (source manual), cancels it, refuses a second cancel; a repeated client id answers the same order', async () => {
    const bot = await aLongBot('ETH/USDT', '2500');
    const caller = { userId: bot.userId, role: 'trader' as const };
    const clientOrderId = `manual-${v7().slice(0, 8)}`;
    const placed = await rpc.send(RpcPatterns.TradingOrdersPlace, { caller, botId: bot.id, side: 'buy', type: 'limit', quantity: '0.1', price: '2000', clientOrderId });
    expect(placed).toMatchObject({ status: 'submitted', source: 'manual', type: 'limit', price: '2000.00000000', clientOrderId });
    expect((await rpc.send(RpcPatterns.TradingOrdersPlace, { caller, botId: bot.id, side: 'buy', type: 'limit', quantity: '0.1', price: '2000', clientOrderId })).id).toBe(placed.id);
    expect(await remoteStatus(rpc.send(RpcPatterns.TradingOrdersCancel, { caller: { userId: v7(), role: 'trader' }, orderId: placed.id }))).toBe(404);
    expect(await rpc.send(RpcPatterns.TradingOrdersCancel, { caller, orderId: placed.id })).toMatchObject({ status: 'cancelled' });
    expect(await remoteStatus(rpc.send(RpcPatterns.TradingOrdersCancel, { caller, orderId: placed.id }))).toBe(409);
    expect(await remoteStatus(rpc.send(RpcPatterns.TradingOrdersPlace, { caller: { userId: v7(), role: 'trader' }, botId: bot.id, side: 'buy', type: 'market', quantity: '0.1' }))).toBe(404);
    expect(await remoteStatus(rpc.send(RpcPatterns.TradingOrdersPlace, { caller, botId: bot.id, side: 'buy', type: 'market', quantity: '1e3' }))).toBe(400);
  });

  it('a manual market order on a bot that never traded opens its account and fills at the cached price', async () => {
    const bot = h.addBot({ symbol: 'DOT/USDT', initialCapital: '500' });
    await h.cacheTicker(bot.exchange, bot.symbol, '5', '2030-01-01T00:00:00.000Z');
    const order = await rpc.send(RpcPatterns.TradingOrdersPlace, { caller: { userId: bot.userId, role: 'trader' }, botId: bot.id, side: 'buy', type: 'market', quantity: '10' });
    expect(order).toMatchObject({ status: 'filled', source: 'manual', averageFillPrice: '5.00000000', fees: '0.05000000' });
    expect(await h.query(`SELECT cash FROM trading.bot_accounts WHERE bot_id = $1`, [bot.id])).toEqual([{ cash: '449.95' }]);
    expect(await remoteStatus(rpc.send(RpcPatterns.TradingPositionsCloseAll, { caller: { userId: v7(), role: 'trader' }, botId: h.addBot().id }))).toBe(404);
  });

  it('a paper manual market order needs a price received within PAPER_MANUAL_PRICE_MAX_AGE_MS: refused with 409 otherwise, nothing recorded', async () => {
    const bot = h.addBot({ symbol: 'LINK/USDT', initialCapital: '1000' });
    const caller = { userId: bot.userId, role: 'trader' as const };
    const marketBuy = () => rpc.send(RpcPatterns.TradingOrdersPlace, { caller, botId: bot.id, side: 'buy', type: 'market', quantity: '10' });
    const refusal = { status: 409, code: 'NO_FRESH_PRICE', message: 'no price newer than 60 s for LINK/USDT' };
    // nothing cached for the symbol
    await expect(marketBuy()).rejects.toMatchObject(refusal);
    // a limit order needs no current price: it rests
    const limit = await rpc.send(RpcPatterns.TradingOrdersPlace, { caller, botId: bot.id, side: 'buy', type: 'limit', quantity: '10', price: '14' });
    expect(limit).toMatchObject({ status: 'submitted', type: 'limit' });
    // the last ticker of a replay that stopped 2 h ago: priced 2021, cached 2 h ago
    await h.cacheTicker(bot.exchange, bot.symbol, '15', '2021-01-03T23:59:00.000Z', Date.now() - 2 * 3_600_000);
    await expect(marketBuy()).rejects.toMatchObject(refusal);
    // a price from 2 h ago without a receipt time is judged by its own time: stale as well
    await h.cacheTicker(bot.exchange, bot.symbol, '15', new Date(Date.now() - 2 * 3_600_000).toISOString());
    await expect(marketBuy()).rejects.toMatchObject(refusal);
    expect(await h.query(`SELECT order_type FROM trading.orders WHERE bot_id = $1`, [bot.id])).toEqual([{ order_type: 'limit' }]);
    // a running replay: priced 2021 but cached just now: 10 x 15 = 150 USDT, fee 0.15
    await h.cacheTicker(bot.exchange, bot.symbol, '15', '2021-01-04T00:00:00.000Z', Date.now());
    expect(await marketBuy()).toMatchObject({ status: 'filled', type: 'market', averageFillPrice: '15.00000000', fees: '0.15000000' });
    expect(await h.query(`SELECT order_type, status FROM trading.orders WHERE bot_id = $1 ORDER BY created_at`, [bot.id])).toEqual([
      { order_type: 'limit', status: 'submitted' },
      { order_type: 'market', status: 'filled' },
    ]);
  });

  it('a paper manual market order fills now or is refused now: a fresh price older than the account’s time is refused (409), nothing recorded', async () => {
    const bot = h.addBot({ symbol: 'AVAX/USDT', initialCapital: '1000' });
    const caller = { userId: bot.userId, role: 'trader' as const };
    const marketBuy = () => rpc.send(RpcPatterns.TradingOrdersPlace, { caller, botId: bot.id, side: 'buy', type: 'market', quantity: '1' });
    // a replay running now, priced 2026-03-02: 1 x 20 = 20 USDT
    await h.cacheTicker(bot.exchange, bot.symbol, '20', '2026-03-02T00:00:00.000Z', Date.now());
    expect(await marketBuy()).toMatchObject({ status: 'filled', averageFillPrice: '20.00000000' });
    // the replay restarted on an older day: received just now (fresh), priced before the account's last price
    await h.cacheTicker(bot.exchange, bot.symbol, '18', '2026-03-01T00:00:00.000Z', Date.now());
    await expect(marketBuy()).rejects.toMatchObject({
      status: 409,
      code: 'PRICE_BEHIND_ACCOUNT',
      message: 'the price of AVAX/USDT is from 2026-03-01T00:00:00.000Z, before this paper account’s last price (2026-03-02T00:00:00.000Z): a paper account does not trade back in time; wait until the feed passes it',
    });
    expect(await h.query(`SELECT order_type, status FROM trading.orders WHERE bot_id = $1`, [bot.id])).toEqual([{ order_type: 'market', status: 'filled' }]);
    // once the feed passes the account's time, it fills at once
    await h.cacheTicker(bot.exchange, bot.symbol, '21', '2026-03-02T00:01:00.000Z', Date.now());
    expect(await marketBuy()).toMatchObject({ status: 'filled', averageFillPrice: '21.00000000' });
  });

  it('a price older than PAPER_MANUAL_PRICE_MAX_AGE_MS fills nothing: a crossing limit rests, a manual close is refused (409), risk’s flatten rests until the next price', async () => {
    const bot = h.addBot({ symbol: 'ATOM/USDT', initialCapital: '1000' });
    const caller = { userId: bot.userId, role: 'trader' as const };
    await h.cacheTicker(bot.exchange, bot.symbol, '10', '2026-03-02T00:00:00.000Z', Date.now());
    expect(await rpc.send(RpcPatterns.TradingOrdersPlace, { caller, botId: bot.id, side: 'buy', type: 'market', quantity: '10' })).toMatchObject({ status: 'filled', averageFillPrice: '10.00000000' });
    // the feed stopped 2 h ago at 8
    await h.cacheTicker(bot.exchange, bot.symbol, '8', '2026-03-02T00:05:00.000Z', Date.now() - 2 * 3_600_000);
    // a buy limit at 9 would cross that 8: it rests for the next price instead
    expect(await rpc.send(RpcPatterns.TradingOrdersPlace, { caller, botId: bot.id, side: 'buy', type: 'limit', quantity: '1', price: '9' })).toMatchObject({ status: 'submitted', filledQuantity: '0.00000000' });
    const [position] = (await rpc.send(RpcPatterns.TradingPositionsList, { caller, botId: bot.id, status: 'open' })).items;
    const refusal = { status: 409, code: 'NO_FRESH_PRICE', message: 'no price newer than 60 s for ATOM/USDT' };
    await expect(rpc.send(RpcPatterns.TradingPositionsClose, { caller, positionId: position!.id })).rejects.toMatchObject(refusal);
    await expect(rpc.send(RpcPatterns.TradingPositionsCloseAll, { caller, botId: bot.id })).rejects.toMatchObject(refusal);
    expect(await h.query(`SELECT side, order_type, status FROM trading.orders WHERE bot_id = $1 ORDER BY created_at`, [bot.id])).toEqual([
      { side: 'buy', order_type: 'market', status: 'filled' },
      { side: 'buy', order_type: 'limit', status: 'submitted' },
    ]);
    // risk's flatten is not refused: its exit waits for the next market price, never the stale one
    const breach = createEvent(
      RiskLimitBreached.TYPE,
      { breachId: v7(), scope: 'bot', scopeId: bot.id, userId: bot.userId, limitType: 'MAX_DRAWDOWN', current: '12', limit: '10', action: 'CLOSE_POSITIONS', state: 'HALTED', message: 'drawdown', breachedAt: new Date().toISOString() },
      { source: 'risk' },
    );
    await h.publisher.publish(Streams.Risk, breach);
    await h.waitFor(async () => (await h.query(`SELECT 1 FROM trading.orders WHERE bot_id = $1 AND source = 'risk' AND status = 'submitted'`, [bot.id])).length === 1, 'resting exit');
    await h.publishTicker(h.ticker(bot, '9.5', '2026-03-02T00:06:00.000Z'));
    await h.waitFor(async () => (await h.query(`SELECT 1 FROM trading.positions WHERE id = $1 AND status = 'closed'`, [position!.id])).length === 1, 'position closed at the next price');
    expect(await h.query(`SELECT avg_fill_price FROM trading.orders WHERE bot_id = $1 AND source = 'risk'`, [bot.id])).toEqual([{ avg_fill_price: '9.50000000' }]);
  });

  it('a usable price fed by a manual order also fills the bot’s resting orders it crosses, and books them', async () => {
    const bot = h.addBot({ symbol: 'NEAR/USDT', initialCapital: '1000' });
    const caller = { userId: bot.userId, role: 'trader' as const };
    await h.cacheTicker(bot.exchange, bot.symbol, '10', '2026-03-02T00:00:00.000Z', Date.now());
    const resting = await rpc.send(RpcPatterns.TradingOrdersPlace, { caller, botId: bot.id, side: 'buy', type: 'limit', quantity: '5', price: '9' });
    expect(resting).toMatchObject({ status: 'submitted' });
    // the market fell through the limit: the market buy's price is fed, and crosses the resting buy too
    await h.cacheTicker(bot.exchange, bot.symbol, '8.5', '2026-03-02T00:01:00.000Z', Date.now());
    expect(await rpc.send(RpcPatterns.TradingOrdersPlace, { caller, botId: bot.id, side: 'buy', type: 'market', quantity: '1' })).toMatchObject({ status: 'filled', averageFillPrice: '8.50000000' });
    expect(await rpc.send(RpcPatterns.TradingOrdersGet, { caller, orderId: resting.id })).toMatchObject({ status: 'filled', filledQuantity: '5.00000000' });
    expect(await h.query(`SELECT count(*)::int AS n FROM trading.trades WHERE bot_id = $1`, [bot.id])).toEqual([{ n: 2 }]);
    expect(await h.query(`SELECT size FROM trading.positions WHERE bot_id = $1 AND status = 'open'`, [bot.id])).toEqual([{ size: '6.00000000' }]);
  });

  it('a manual order is refused when risk denies it, and placed nothing', async () => {
    const bot = await aLongBot('SOL/USDT', '100');
    h.behaviour.denyBots.add(bot.id);
    const order = await rpc.send(RpcPatterns.TradingOrdersPlace, { caller: { userId: bot.userId, role: 'trader' }, botId: bot.id, side: 'buy', type: 'market', quantity: '1' });
    expect(order).toMatchObject({ status: 'rejected', rejectionReason: 'risk_denied', reasonCodes: ['MAX_POSITION_SIZE'] });
    h.behaviour.denyBots.delete(bot.id);
  });

  it('closes a position, and closes all of a bot', async () => {
    const bot = await aLongBot('ADA/USDT', '1');
    const caller = { userId: bot.userId, role: 'trader' as const };
    const [position] = (await rpc.send(RpcPatterns.TradingPositionsList, { caller, botId: bot.id, status: 'open' })).items;
    const close = await rpc.send(RpcPatterns.TradingPositionsClose, { caller, positionId: position!.id });
    expect(close).toMatchObject({ side: 'sell', source: 'manual', purpose: 'exit', status: 'filled', quantity: position!.size });
    expect(await h.query(`SELECT status FROM trading.positions WHERE id = $1`, [position!.id])).toEqual([{ status: 'closed' }]);
    expect(await remoteStatus(rpc.send(RpcPatterns.TradingPositionsClose, { caller, positionId: position!.id }))).toBe(409);
    expect(await rpc.send(RpcPatterns.TradingPositionsCloseAll, { caller, botId: bot.id })).toEqual({ orders: [] });
  });

  it('a risk breach with CLOSE_POSITIONS flattens the bot', async () => {
    const bot = await aLongBot('XRP/USDT', '0.5');
    const breach = createEvent(
      RiskLimitBreached.TYPE,
      { breachId: v7(), scope: 'bot', scopeId: bot.id, userId: bot.userId, limitType: 'MAX_DRAWDOWN', current: '12', limit: '10', action: 'CLOSE_POSITIONS', state: 'HALTED', message: 'drawdown', breachedAt: new Date().toISOString() },
      { source: 'risk' },
    );
    await h.publisher.publish(Streams.Risk, breach);
    await h.waitFor(async () => (await h.query(`SELECT 1 FROM trading.positions WHERE bot_id = $1 AND status = 'closed'`, [bot.id])).length === 1, 'bot flattened');
    expect(await h.query(`SELECT source, side FROM trading.orders WHERE bot_id = $1 ORDER BY created_at`, [bot.id])).toEqual([
      { source: 'strategy', side: 'buy' },
      { source: 'risk', side: 'sell' },
    ]);
  });
});
