import {
  createEvent,
  RiskLimitBreached,
  RpcPatterns,
  SignalEmitted,
  StrategyBotView,
  Streams,
} from '@trading/contracts';
import { RpcClient } from '@trading/streams';
import { LoopbackBinance, startLoopbackBinance } from '@trading/testing';
import { randomBytes } from 'node:crypto';
import { v7 } from 'uuid';
import { EngineHarness, EngineProcess } from './engine.fixture';
import { LiveAccount, OrderRow, startLiveAccount } from './live-account.fixture';

const INTERNAL_RPC_TOKEN = `live-e2e-internal-${randomBytes(16).toString('hex')}`;
const MASTER_KEY = randomBytes(32).toString('base64');
// What the loopback exchange accepts: the key and secret auth stores encrypted and the engine decrypts.
const API_KEY = `LiveApiKey${randomBytes(12).toString('hex')}`;
const SECRET = `LiveSecret${randomBytes(16).toString('hex')}`;
const WRONG_SECRET = `WrongSecret${randomBytes(16).toString('hex')}`;


/**
 * Live execution end to end: the built engine and the built auth service (real PostgreSQL and Redis), an exchange
 * key stored encrypted by auth, and real ccxt in the engine talking to the loopback Binance server (Binance's
 * order endpoints, signatures checked). Risk and strategy are the harness's stand-ins.
 */
describe('trading-engine live execution (built engine and auth, ccxt against the loopback Binance)', () => {
  const h = new EngineHarness();
  let server: LoopbackBinance;
  let rpc: RpcClient;
  let engine: EngineProcess;
  const engines: EngineProcess[] = [];
  let userId: string;
  let keyId: string;

  const engineEnv = (overrides: Record<string, string> = {}) => ({
    INTERNAL_RPC_TOKEN,
    EXCHANGE_OVERRIDES: JSON.stringify({ binance: server.ccxtOverrides }),
    EXCHANGE_TIMEOUT_MS: '1500',
    EXCHANGE_ORDER_LOOKUP_DELAY_MS: '100',
    ORDER_LOCK_TTL_MS: '2000',
    LIVE_PENDING_GRACE_MS: '1000',
    LOG_LEVEL: 'debug',
    ...overrides,
  });

  async function startEngine(instance: string, overrides: Record<string, string> = {}): Promise<EngineProcess> {
    const started = await h.startEngine(instance, engineEnv(overrides));
    engines.push(started);
    return started;
  }

  let account: LiveAccount;
  const storeKey = (exchange: string, label: string, secret: string) => account.storeKey({ exchange, label, apiKey: API_KEY, secret });

  beforeAll(async () => {
    await h.start('trading_engine_live');
    account = await startLiveAccount(h, { instance: 'auth-live', internalRpcToken: INTERNAL_RPC_TOKEN, masterKey: MASTER_KEY, masterKeyId: 'live1', userAgent: 'live-e2e' });
    ({ rpc, userId } = account);
    server = await startLoopbackBinance({
      apiKey: API_KEY,
      secret: SECRET,
      balances: { USDT: '10000' },
      prices: { BTCUSDT: '40000' },
    });
    keyId = await storeKey('binance', 'main', SECRET);
    engine = await startEngine('live-a');
  }, 120_000);

  afterAll(async () => {
    if (process.env.ENGINE_DEBUG_OUTPUT) process.stdout.write(h.output());
    await rpc?.close();
    await h.stop();
    await server?.stop();
  }, 30_000);

  const ordersOf = (botId: string) =>
    h.query<OrderRow>(`SELECT * FROM trading.orders WHERE bot_id = $1 ORDER BY created_at, id`, [botId]);
  const postsOf = (clientOrderId: string) =>
    server.requests.filter(
      (r) => r.method === 'POST' && r.path === '/api/v3/order' && r.params['newClientOrderId'] === clientOrderId,
    );
  const exchangeOrdersOf = (clientOrderId: string) =>
    [...server.state.orders.values()].filter((o) => o.clientOrderId === clientOrderId);
  const liveBot = (overrides: Partial<StrategyBotView> = {}) =>
    h.addBot({ mode: 'live', userId, apiKeyId: keyId, ...overrides });
  let minute = 0;
  /** Signals of successive candles (a bot refuses a signal older than the last one it applied). */
  const nextCandle = () => new Date(Date.UTC(2026, 2, 1, 0, minute++)).toISOString();

  async function longPosition(bot: StrategyBotView): Promise<SignalEmitted.Event> {
    const signal = h.signal(bot, 'long', nextCandle(), '40000');
    await h.publishSignals([signal]);
    await h.waitFor(async () => (await ordersOf(bot.id))[0]?.status === 'filled', 'entry filled');
    return signal;
  }

  it('a live signal places one real order with the signal id as client order id and books its fill', async () => {
    server.state.setPrice('BTCUSDT', '40000');
    const bot = liveBot({ initialCapital: '10000', positionSizePct: '50' });
    const signal = await longPosition(bot);

    // 50 % of 10 000 = 5 000 USDT at 40 000 = 0.125 BTC, sent as a Binance market order with our client order id
    expect(postsOf(signal.payload.signalId)).toHaveLength(1);
    expect(postsOf(signal.payload.signalId)[0]!.params).toMatchObject({
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'MARKET',
      quantity: '0.125',
    });
    const [remote] = exchangeOrdersOf(signal.payload.signalId);
    expect(remote?.status).toBe('FILLED');
    const [order] = await ordersOf(bot.id);
    // Binance charges a buyer its commission in base: 0.1 % of 0.125 = 0.000125 BTC
    expect(order).toMatchObject({
      client_order_id: signal.payload.signalId,
      exchange_order_id: String(remote!.orderId),
      mode: 'live',
      side: 'buy',
      status: 'filled',
      quantity: '0.12500000',
      filled_quantity: '0.12500000',
      avg_fill_price: '40000.00000000',
      fees: '0.00012500',
      fee_currency: 'BTC',
    });
    expect(order!.order_metadata['apiKeyId']).toBe(keyId);
    expect(
      await h.query(
        `SELECT side, price, quantity, quote_quantity, fee, fee_currency, realized_pnl, mode FROM trading.trades WHERE bot_id = $1`,
        [bot.id],
      ),
    ).toEqual([
      {
        side: 'buy',
        price: '40000.00000000',
        quantity: '0.12500000',
        quote_quantity: '5000.00000000',
        fee: '0.00012500',
        fee_currency: 'BTC',
        realized_pnl: '0.00000000',
        mode: 'live',
      },
    ]);
    // the bot holds what the exchange credited: 0.125 - 0.000125 = 0.124875 BTC; the fee is worth 0.000125 x 40 000 = 5 USDT
    expect(
      await h.query(
        `SELECT status, side, size, avg_entry_price, fees_paid, mode FROM trading.positions WHERE bot_id = $1`,
        [bot.id],
      ),
    ).toEqual([
      {
        status: 'open',
        side: 'long',
        size: '0.12487500',
        avg_entry_price: '40000.00000000',
        fees_paid: '5.00000000',
        mode: 'live',
      },
    ]);
    // cash: 10 000 - 5 000 = 5 000 (the fee came out of the BTC); the bot's balances equal the exchange's
    expect(await h.query(`SELECT cash FROM trading.bot_accounts WHERE bot_id = $1`, [bot.id])).toEqual([
      { cash: '5000' },
    ]);
    expect(
      await h.query(`SELECT currency, free FROM trading.balances WHERE bot_id = $1 ORDER BY currency`, [bot.id]),
    ).toEqual([
      { currency: 'BTC', free: '0.12487500' },
      { currency: 'USDT', free: '5000.00000000' },
    ]);
    expect(server.state.balance('BTC')).toEqual({ free: '0.124875', locked: '0' });
    expect(server.state.balance('USDT')).toEqual({ free: '5000', locked: '0' });

    await h.waitFor(
      async () =>
        (await h.streamEvents<{ payload: { botId: string } }>(Streams.Trades)).filter((e) => e.payload.botId === bot.id)
          .length === 2,
      'trade events published',
    );
    const orderEvents = (
      await h.streamEvents<{
        type: string;
        payload: { botId: string; mode: string; clientOrderId: string; exchangeOrderId: string | null };
      }>(Streams.Orders)
    ).filter((e) => e.payload.botId === bot.id);
    expect(orderEvents.map((e) => [e.type, e.payload.mode, e.payload.clientOrderId])).toEqual([
      ['order.placed', 'live', signal.payload.signalId],
      ['order.filled', 'live', signal.payload.signalId],
    ]);
    expect(orderEvents[0]!.payload.exchangeOrderId).toBe(String(remote!.orderId));
    const tradeEvents = (
      await h.streamEvents<{
        type: string;
        payload: { botId: string; quantity: string; fee?: string; feeCurrency?: string };
      }>(Streams.Trades)
    ).filter((e) => e.payload.botId === bot.id);
    expect(tradeEvents.map((e) => [e.type, e.payload.quantity])).toEqual([
      ['trade.executed', '0.125'],
      ['position.changed', '0.124875'],
    ]);
  });

  it('a redelivered or duplicated signal places nothing new on the exchange', async () => {
    const bot = liveBot({ sizingMode: 'fixed_quote', positionSizePct: null, positionSizeFixed: '400' });
    const signal = h.signal(bot, 'long', nextCandle(), '40000');
    const copy = { ...signal, id: h.signal(bot, 'long', signal.payload.candleTime, '40000').id };
    await h.publishSignals([signal, signal, copy]);
    await h.waitFor(
      () => h.groupDone(Streams.StrategySignals, 'trading-engine'),
      'all three deliveries handled and acked',
    );
    await h.publishSignals([signal]);
    await h.waitFor(() => h.groupDone(Streams.StrategySignals, 'trading-engine'), 'a late redelivery handled');

    expect(postsOf(signal.payload.signalId)).toHaveLength(1);
    expect(exchangeOrdersOf(signal.payload.signalId)).toHaveLength(1);
    expect(await ordersOf(bot.id)).toMatchObject([{ status: 'filled', quantity: '0.01000000' }]);
  });

  it('a buy spends no more than the exchange account holds free, whatever the bot’s capital', async () => {
    server.state.setPrice('BTCUSDT', '40000');
    const usdt = server.state.balance('USDT').free;
    server.state.setBalance('USDT', '300');
    try {
      const bot = liveBot({ initialCapital: '10000', positionSizePct: '50' });
      const signal = await longPosition(bot);
      // 50 % of 10 000 would be 0.125 BTC; 300 USDT free / (40 000 + 50 bps buffer = 40 200, + 0.1 % fee) = 0.0074552 -> 0.00745
      expect(postsOf(signal.payload.signalId)[0]!.params).toMatchObject({ quantity: '0.00745' });
      expect(await ordersOf(bot.id)).toMatchObject([{ status: 'filled', quantity: '0.00745000' }]);
    } finally {
      server.state.setBalance('USDT', usdt);
    }
  });

  it('a create that times out is resolved by looking the order up by client order id: one order on the exchange', async () => {
    const bot = liveBot({ sizingMode: 'fixed_quote', positionSizePct: null, positionSizeFixed: '1000' });
    // Binance performs the order but never answers: ccxt times out after EXCHANGE_TIMEOUT_MS (1.5 s)
    server.injectFault({ method: 'POST', path: '/api/v3/order', times: 1, fault: { kind: 'hang' } });
    const signal = await longPosition(bot);

    expect(postsOf(signal.payload.signalId)).toHaveLength(1);
    expect(exchangeOrdersOf(signal.payload.signalId)).toHaveLength(1);
    const lookups = server.requests.filter(
      (r) =>
        r.method === 'GET' && r.path === '/api/v3/order' && r.params['origClientOrderId'] === signal.payload.signalId,
    );
    expect(lookups.length).toBeGreaterThanOrEqual(1);
    // 1 000 USDT at 40 000 = 0.025 BTC
    expect(await ordersOf(bot.id)).toMatchObject([
      {
        status: 'filled',
        filled_quantity: '0.02500000',
        exchange_order_id: String(exchangeOrdersOf(signal.payload.signalId)[0]!.orderId),
      },
    ]);
    expect(await h.query(`SELECT quantity FROM trading.trades WHERE bot_id = $1`, [bot.id])).toEqual([
      { quantity: '0.02500000' },
    ]);
  });

  it('the exchange refusing for insufficient funds rejects the order with that reason', async () => {
    const bot = liveBot({ sizingMode: 'fixed_quote', positionSizePct: null, positionSizeFixed: '1000' });
    await longPosition(bot);
    // the BTC was moved off the exchange account: the bot's exit sell of 0.02497 BTC meets Binance's -2010
    const btc = server.state.balance('BTC').free;
    server.state.setBalance('BTC', '0.001');
    try {
      const exit = h.signal(bot, 'flat', nextCandle(), '40000');
      await h.publishSignals([exit]);
      await h.waitFor(async () => (await ordersOf(bot.id))[1]?.status === 'rejected', 'exit rejected');
      expect(postsOf(exit.payload.signalId)).toHaveLength(1);
      expect(postsOf(exit.payload.signalId)[0]!.params).toMatchObject({ side: 'SELL', quantity: '0.02497' });
      expect((await ordersOf(bot.id))[1]).toMatchObject({
        status: 'rejected',
        rejection_reason: 'insufficient_funds',
        reason_codes: ['insufficient_funds'],
        filled_quantity: '0.00000000',
      });
      expect(String((await ordersOf(bot.id))[1]!.order_metadata['rejectionMessage'])).toContain('insufficient balance');
      await h.waitFor(
        async () =>
          (await h.streamEvents<{ type: string; payload: { clientOrderId: string } }>(Streams.Orders)).some(
            (e) => e.type === 'order.rejected' && e.payload.clientOrderId === exit.payload.signalId,
          ),
        'OrderRejected published',
      );
      const rejected = (
        await h.streamEvents<{
          type: string;
          payload: { clientOrderId: string; reasons: string[]; rejectedBy: string };
        }>(Streams.Orders)
      ).find((e) => e.type === 'order.rejected' && e.payload.clientOrderId === exit.payload.signalId);
      expect(rejected?.payload).toMatchObject({ rejectedBy: 'exchange', reasons: ['INSUFFICIENT_FUNDS'] });
      expect(await h.query(`SELECT status, size FROM trading.positions WHERE bot_id = $1`, [bot.id])).toEqual([
        { status: 'open', size: '0.02497500' },
      ]);
    } finally {
      server.state.setBalance('BTC', btc);
    }
  });

  it('a stop loss on a live position places a live market exit through the same path', async () => {
    server.state.setPrice('BTCUSDT', '40000');
    const bot = liveBot({
      sizingMode: 'fixed_quote',
      positionSizePct: null,
      positionSizeFixed: '1000',
      stopLossPct: '2',
    });
    await longPosition(bot);
    // entry 40 000, stop 2 % below = 39 200; the market trades at 39 000
    expect(await h.query(`SELECT stop_loss FROM trading.positions WHERE bot_id = $1`, [bot.id])).toEqual([
      { stop_loss: '39200.00000000' },
    ]);
    server.state.setPrice('BTCUSDT', '39000');
    await h.publishTicker(h.ticker(bot, '39000', '2030-01-01T00:00:00.000Z'));
    await h.waitFor(async () => (await ordersOf(bot.id))[1]?.status === 'filled', 'stop exit filled');
    server.state.setPrice('BTCUSDT', '40000');

    const exit = (await ordersOf(bot.id))[1]!;
    expect(exit).toMatchObject({
      source: 'stop_loss',
      side: 'sell',
      mode: 'live',
      quantity: '0.02497000',
      avg_fill_price: '39000.00000000',
      fee_currency: 'USDT',
    });
    expect(postsOf(exit.client_order_id)).toHaveLength(1);
    expect(postsOf(exit.client_order_id)[0]!.params).toMatchObject({
      side: 'SELL',
      type: 'MARKET',
      quantity: '0.02497',
    });
    // held 0.024975 BTC; the lot step 0.00001 leaves 0.000005 BTC the exchange cannot sell on its own (dust)
    // sold 0.02497 x 39 000 = 973.83, fee 0.97383 USDT
    expect(await h.query(`SELECT status, size FROM trading.positions WHERE bot_id = $1`, [bot.id])).toEqual([
      { status: 'open', size: '0.00000500' },
    ]);
    expect(
      await h.query(
        `SELECT side, quantity, quote_quantity, fee, fee_currency FROM trading.trades WHERE bot_id = $1 AND side = 'sell'`,
        [bot.id],
      ),
    ).toEqual([
      { side: 'sell', quantity: '0.02497000', quote_quantity: '973.83000000', fee: '0.97383000', fee_currency: 'USDT' },
    ]);
    // dust is flat for the bot: a new long buys again, into the same position
    const again = h.signal(bot, 'long', nextCandle(), '40000');
    await h.publishSignals([again]);
    await h.waitFor(async () => (await ordersOf(bot.id))[2]?.status === 'filled', 'new entry filled');
    // 0.000005 + 0.025 - 0.000025 = 0.02498
    expect(await h.query(`SELECT status, size FROM trading.positions WHERE bot_id = $1`, [bot.id])).toEqual([
      { status: 'open', size: '0.02498000' },
    ]);
  });

  it('a key that is not the bot user’s, or not for the bot’s exchange, is refused before anything is sent', async () => {
    const before = server.requests.length;
    const stranger = liveBot({ userId: v7() });
    const krakenKey = await storeKey('kraken', 'kraken-main', SECRET);
    const wrongExchange = liveBot({ apiKeyId: krakenKey });
    const noKey = liveBot({ apiKeyId: null });
    await h.publishSignals([
      h.signal(stranger, 'long', nextCandle(), '40000'),
      h.signal(wrongExchange, 'long', nextCandle(), '40000'),
      h.signal(noKey, 'long', nextCandle(), '40000'),
    ]);
    for (const bot of [stranger, wrongExchange, noKey])
      await h.waitFor(async () => (await ordersOf(bot.id)).length === 1, 'refusal recorded');

    expect(await ordersOf(stranger.id)).toMatchObject([
      { status: 'rejected', rejection_reason: 'live_key_unavailable' },
    ]);
    expect((await ordersOf(stranger.id))[0]!.order_metadata['rejectionMessage']).toContain('not found');
    expect(await ordersOf(wrongExchange.id)).toMatchObject([
      { status: 'rejected', rejection_reason: 'live_key_unavailable' },
    ]);
    expect((await ordersOf(wrongExchange.id))[0]!.order_metadata['rejectionMessage']).toContain('kraken key');
    expect((await ordersOf(noKey.id))[0]).toMatchObject({
      status: 'rejected',
      rejection_reason: 'live_key_unavailable',
    });
    expect(server.requests.slice(before).filter((r) => r.method === 'POST')).toEqual([]);
  });

  it('a key the exchange refuses (bad signature) rejects the signal with exchange_auth', async () => {
    const badKey = await storeKey('binance', 'wrong-secret', WRONG_SECRET);
    const bot = liveBot({ apiKeyId: badKey });
    const signal = h.signal(bot, 'long', nextCandle(), '40000');
    await h.publishSignals([signal]);
    await h.waitFor(async () => (await ordersOf(bot.id)).length === 1, 'refusal recorded');
    expect(await ordersOf(bot.id)).toMatchObject([{ status: 'rejected', rejection_reason: 'exchange_auth' }]);
    expect(postsOf(signal.payload.signalId)).toEqual([]);
  });

  it('a create lost before it reached the exchange stays pending (never resent) until the grace period proves it was never placed', async () => {
    server.state.setPrice('BTCUSDT', '40000');
    const bot = liveBot({ sizingMode: 'fixed_quote', positionSizePct: null, positionSizeFixed: '500' });
    // the connection is reset before Binance sees the order; the lookup by client order id says -2013
    server.injectFault({
      method: 'POST',
      path: '/api/v3/order',
      times: 1,
      fault: { kind: 'drop', beforeAction: true },
    });
    const lost = h.signal(bot, 'long', nextCandle(), '40000');
    await h.publishSignals([lost]);
    await h.waitFor(async () => (await ordersOf(bot.id))[0]?.retry_count === 1, 'outcome noted');
    expect(await ordersOf(bot.id)).toMatchObject([
      { status: 'pending', error_code: 'outcome_unknown', exchange_order_id: null },
    ]);
    expect(postsOf(lost.payload.signalId)).toHaveLength(1);
    expect(exchangeOrdersOf(lost.payload.signalId)).toEqual([]);

    // past LIVE_PENDING_GRACE_MS (1 s), the bot's next signal settles it first: failed, then the new order is sent
    await h.waitFor(
      async () =>
        (
          await h.query(
            `SELECT 1 FROM trading.orders WHERE bot_id = $1 AND created_at < now() - interval '1500 milliseconds'`,
            [bot.id],
          )
        ).length === 1,
      'grace period over',
    );
    const next = h.signal(bot, 'long', nextCandle(), '40000');
    await h.publishSignals([next]);
    await h.waitFor(async () => (await ordersOf(bot.id))[1]?.status === 'filled', 'next entry filled');
    expect((await ordersOf(bot.id))[0]).toMatchObject({ status: 'failed', rejection_reason: 'not_on_exchange' });
    expect(postsOf(lost.payload.signalId)).toHaveLength(1);
    expect(postsOf(next.payload.signalId)).toHaveLength(1);
    await h.waitFor(
      async () =>
        (await h.streamEvents<{ type: string; payload: { clientOrderId: string } }>(Streams.Orders)).some(
          (e) => e.type === 'order.rejected' && e.payload.clientOrderId === lost.payload.signalId,
        ),
      'OrderRejected for the order never placed',
    );
  });

  it('a manual live limit order is cancelled on the exchange; a second cancel is refused', async () => {
    server.state.setPrice('BTCUSDT', '40000');
    const bot = liveBot();
    const caller = { userId, role: 'trader' as const };
    const usdtBefore = server.state.balance('USDT');
    const limitBuy = (price: string) =>
      rpc.send(RpcPatterns.TradingOrdersPlace, { caller, botId: bot.id, side: 'buy', type: 'limit', quantity: '0.005', price });
    // a price off Binance's tick (0.01) is refused, not rounded: nothing recorded, nothing sent
    await expect(limitBuy('35000.004')).rejects.toMatchObject({
      status: 400,
      code: 'INVALID_PRICE',
      message: 'price 35000.004 is not a multiple of the tick 0.01 of BTC/USDT',
    });
    expect(await ordersOf(bot.id)).toEqual([]);
    const placed = await limitBuy('35000.00');
    expect(placed).toMatchObject({ status: 'submitted', mode: 'live', source: 'manual', price: '35000.00000000' });
    expect(exchangeOrdersOf(placed.clientOrderId)).toMatchObject([{ status: 'NEW' }]);
    const cancelled = await rpc.send(RpcPatterns.TradingOrdersCancel, { caller, orderId: placed.id });
    expect(cancelled).toMatchObject({ id: placed.id, status: 'cancelled', filledQuantity: '0.00000000' });
    expect(exchangeOrdersOf(placed.clientOrderId)).toMatchObject([{ status: 'CANCELED' }]);
    expect(server.state.balance('USDT')).toEqual(usdtBefore);
    await expect(rpc.send(RpcPatterns.TradingOrdersCancel, { caller, orderId: placed.id })).rejects.toMatchObject({
      status: 409,
    });
  });

  it('a manual live market order is priced by the exchange’s ticker, never market-data’s cache; what the bot’s ledger could not book is refused unsent', async () => {
    server.state.setPrice('BTCUSDT', '40000');
    server.state.setBalance('USDT', '10000');
    const bot = liveBot({ initialCapital: '1000' });
    const caller = { userId, role: 'trader' as const };
    const place = (side: 'buy' | 'sell', quantity: string, overrides: { botId?: string } = {}) =>
      rpc.send(RpcPatterns.TradingOrdersPlace, { caller, botId: bot.id, side, type: 'market', quantity, ...overrides });
    const tickerCalls = () => server.requests.filter((r) => r.path === '/api/v3/ticker/24hr').length;
    const creates = () => server.requests.filter((r) => r.method === 'POST' && r.path === '/api/v3/order').length;
    // market-data's cache holds a price that looks fresh but is not the exchange's (a replay of another day)
    await h.cacheTicker('binance', 'BTC/USDT', '1000', new Date().toISOString(), Date.now());
    const tickersBefore = tickerCalls();
    // 0.01 x 40 000 = 400 USDT; Binance takes its 0.1 % fee in BTC: 0.00999 held
    expect(await place('buy', '0.01')).toMatchObject({ status: 'filled', averageFillPrice: '40000.00000000' });
    expect(tickerCalls()).toBe(tickersBefore + 1);
    expect(h.behaviour.riskRequests.filter((r) => r.botId === bot.id)).toMatchObject([{ side: 'buy', quantity: '0.01', price: '40000' }]);

    const [ordersBefore, sentBefore] = [await ordersOf(bot.id), creates()];
    const futures = liveBot({ marketType: 'futures' });
    const refusals: [Promise<unknown>, { status: number; code: string; message?: string }][] = [
      // the exchange account holds more BTC (other bots, the user's own): the bot sells only its 0.00999
      [place('sell', '0.01'), { status: 409, code: 'SELL_EXCEEDS_POSITION', message: 'a spot bot sells at most what it holds: 0.00999 BTC free (its position less working sells), asked 0.01' }],
      // 600 USDT left of the bot's 1 000: 0.015 x 40 200 (the price with 50 bps room) x 1.001 = 603 + 0.603 = 603.603 > 600
      [place('buy', '0.015'), { status: 409, code: 'INSUFFICIENT_FUNDS', message: 'the buy may cost up to 603.603 USDT (0.015 x 40200 with a 0.001 fee); the bot has 600 USDT free' }],
      [place('buy', '0.000015'), { status: 400, code: 'INVALID_QUANTITY', message: 'quantity 0.000015 is not a multiple of the lot step 0.00001 of BTC/USDT' }],
      // 0.0001 x 40 000 = 4 USDT < Binance's 5
      [place('buy', '0.0001'), { status: 400, code: 'BELOW_MIN_SIZE', message: 'notional 4 USDT (0.0001 x 40000) is below the minimum 5 USDT of BTC/USDT' }],
      [place('buy', '0.01', { botId: futures.id }), { status: 409, code: 'LIVE_EXECUTION_UNAVAILABLE' }],
    ];
    for (const [request, refusal] of refusals) await expect(request).rejects.toMatchObject(refusal);
    expect(await ordersOf(bot.id)).toEqual(ordersBefore);
    expect(await ordersOf(futures.id)).toEqual([]);
    expect(creates()).toBe(sentBefore);
    // what it holds it sells: the position closes
    expect(await place('sell', '0.00999')).toMatchObject({ status: 'filled', averageFillPrice: '40000.00000000' });
    expect(await h.query(`SELECT status FROM trading.positions WHERE bot_id = $1`, [bot.id])).toEqual([{ status: 'closed' }]);
  });

  it('a risk breach with CLOSE_POSITIONS flattens a live bot with a live market sell', async () => {
    server.state.setPrice('BTCUSDT', '40000');
    const bot = liveBot({ sizingMode: 'fixed_quote', positionSizePct: null, positionSizeFixed: '600' });
    await longPosition(bot);
    const breach = createEvent(
      RiskLimitBreached.TYPE,
      {
        breachId: v7(),
        scope: 'bot',
        scopeId: bot.id,
        userId,
        limitType: 'MAX_DRAWDOWN',
        current: '12',
        limit: '10',
        action: 'CLOSE_POSITIONS',
        state: 'HALTED',
        message: 'drawdown',
        breachedAt: new Date().toISOString(),
      },
      { source: 'risk' },
    );
    await h.publisher.publish(Streams.Risk, breach);
    await h.waitFor(async () => (await ordersOf(bot.id))[1]?.status === 'filled', 'flattening sell filled');
    const exit = (await ordersOf(bot.id))[1]!;
    // 600 USDT at 40 000 = 0.015 BTC, 0.014985 held after the base fee; the lot step sells 0.01498
    expect(exit).toMatchObject({ source: 'risk', side: 'sell', quantity: '0.01498000', filled_quantity: '0.01498000' });
    expect(postsOf(exit.client_order_id)).toHaveLength(1);
    expect(await h.query(`SELECT size FROM trading.positions WHERE bot_id = $1`, [bot.id])).toEqual([
      { size: '0.00000500' },
    ]);
  });

  it('an engine restarted with a submitted and a pending live order reconciles both from the exchange before taking signals', async () => {
    server.state.setPrice('BTCUSDT', '40000');
    server.state.setBalance('USDT', '10000'); // the earlier bots spent the shared account's USDT
    // a resting limit buy (manual order): submitted on the exchange
    const resting = liveBot();
    const caller = { userId, role: 'trader' as const };
    const placed = await rpc.send(RpcPatterns.TradingOrdersPlace, {
      caller,
      botId: resting.id,
      side: 'buy',
      type: 'limit',
      quantity: '0.01',
      price: '39000',
    });
    expect(placed).toMatchObject({ status: 'submitted', mode: 'live', type: 'limit', price: '39000.00000000' });
    expect(exchangeOrdersOf(placed.clientOrderId)).toMatchObject([{ status: 'NEW' }]);
    await h.kill(engine);

    // an engine whose create hangs (long timeout) is killed while the order is pending: performed on the exchange
    const slow = await startEngine('live-b', { EXCHANGE_TIMEOUT_MS: '30000' });
    const pendingBot = liveBot({ sizingMode: 'fixed_quote', positionSizePct: null, positionSizeFixed: '800' });
    server.injectFault({ method: 'POST', path: '/api/v3/order', times: 1, fault: { kind: 'hang' } });
    const signal = h.signal(pendingBot, 'long', nextCandle(), '40000');
    await h.publishSignals([signal]);
    await h.waitFor(
      async () =>
        postsOf(signal.payload.signalId).length === 1 && (await ordersOf(pendingBot.id))[0]?.status === 'pending',
      'order pending while its create hangs',
    );
    await h.kill(slow);
    expect(exchangeOrdersOf(signal.payload.signalId)).toMatchObject([{ status: 'FILLED' }]);

    // while no engine runs, the market falls through the limit: it fills at 39 000 as maker
    server.state.setPrice('BTCUSDT', '38900');
    expect(exchangeOrdersOf(placed.clientOrderId)).toMatchObject([{ status: 'FILLED' }]);
    server.state.setPrice('BTCUSDT', '40000');

    engine = await startEngine('live-c');
    // reconciled before /health/ready: both booked from the exchange
    expect(await ordersOf(resting.id)).toMatchObject([
      { status: 'filled', filled_quantity: '0.01000000', avg_fill_price: '39000.00000000' },
    ]);
    expect(
      await h.query(`SELECT size, avg_entry_price FROM trading.positions WHERE bot_id = $1`, [resting.id]),
    ).toEqual([{ size: '0.00999000', avg_entry_price: '39000.00000000' }]);
    // 800 USDT at 40 000 = 0.02 BTC
    expect(await ordersOf(pendingBot.id)).toMatchObject([
      {
        status: 'filled',
        filled_quantity: '0.02000000',
        exchange_order_id: String(exchangeOrdersOf(signal.payload.signalId)[0]!.orderId),
      },
    ]);
    expect(await h.query(`SELECT quantity FROM trading.trades WHERE bot_id = $1`, [pendingBot.id])).toEqual([
      { quantity: '0.02000000' },
    ]);
    // the killed engine's unacked signal is taken over and found handled: still one order on the exchange
    await h.waitFor(() => h.groupDone(Streams.StrategySignals, 'trading-engine'), 'signal taken over and acked');
    expect(postsOf(signal.payload.signalId)).toHaveLength(1);
    expect(exchangeOrdersOf(signal.payload.signalId)).toHaveLength(1);
  });

  it('no decrypted secret or key in the engine’s logs, the orders’ metadata or any published event', async () => {
    const logs = engines.map((e) => e.proc.output()).join('\n');
    expect(logs.length).toBeGreaterThan(1000); // debug logging was on: there is something to search
    const metadata = JSON.stringify(await h.query(`SELECT order_metadata, rejection_reason FROM trading.orders`));
    expect(metadata).toContain('apiKeyId');
    const streams = await h.redis.keys(`${h.namespace}events:*`);
    const events: string[] = [];
    for (const stream of streams)
      if ((await h.redis.type(stream)) === 'stream')
        for (const [, fields] of await h.redis.xrange(stream, '-', '+')) events.push(fields.join(' '));
    expect(events.length).toBeGreaterThan(10);
    for (const secret of [SECRET, WRONG_SECRET, API_KEY]) {
      expect(logs).not.toContain(secret);
      expect(metadata).not.toContain(secret);
      expect(events.join('\n')).not.toContain(secret);
    }
  });
});
