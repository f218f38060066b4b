import { RpcPatterns, SignalEmitted, StrategyBotView, Streams, validateEnvelope } from '@trading/contracts';
import { RpcClient } from '@trading/streams';
import { LoopbackKraken, startLoopbackKraken } from '@trading/testing';
import Decimal from 'decimal.js';
import { randomBytes } from 'node:crypto';
import { liveClientOrderId } from '../live/live-client-order-id';
import { EngineHarness, EngineProcess } from './engine.fixture';
import { LiveAccount, OrderRow, startLiveAccount } from './live-account.fixture';

const INTERNAL_RPC_TOKEN = `kraken-e2e-internal-${randomBytes(16).toString('hex')}`;
const MASTER_KEY = randomBytes(32).toString('base64');
// What the loopback Kraken accepts: an API key and a base64 secret (as Kraken issues them), stored encrypted by auth.
const API_KEY = `KrakenApiKey${randomBytes(16).toString('hex')}`;
const SECRET = randomBytes(64).toString('base64');
const WRONG_SECRET = randomBytes(64).toString('base64');

// The loopback's XBTUSDT (ccxt: BTC/USDT): lot_decimals 8, pair_decimals 1, fees in the quote currency (fciq) rounded
// half up to cost_decimals 5; the first fee tier: taker 0.26 %, maker 0.16 %.
const LOT_DP = 8;
const COST_DP = 5;
const TAKER = '0.0026';
const MAKER = '0.0016';
const ENTRY_PRICE = '43210.7';
const EXIT_PRICE = '44017.3';

const D = Decimal.clone({ precision: 60 });
const lot = (quote: Decimal.Value, price: Decimal.Value) =>
  new D(quote).div(price).toDecimalPlaces(LOT_DP, Decimal.ROUND_DOWN);
const krakenFee = (cost: Decimal.Value, rate: string) =>
  new D(cost).times(rate).toDecimalPlaces(COST_DP, Decimal.ROUND_HALF_UP);
/** The engine's rounding to the database's 8 decimals (half even). */
const money = (value: Decimal.Value) => new D(value).toDecimalPlaces(8, Decimal.ROUND_HALF_EVEN).toFixed(8);


interface AuditEvent {
  type: string;
  source: string;
  payload: {
    action: string;
    outcome: string;
    resourceType: string;
    resourceId: string;
    details: Record<string, unknown>;
  };
}

/**
 * Live execution on Kraken end to end: the built engine and the built auth service (real PostgreSQL and Redis), the
 * user's Kraken key stored encrypted by auth, and real ccxt (`kraken`) in the engine talking to the loopback Kraken
 * server (Kraken's private endpoints, API-Sign and nonces checked). Risk and strategy are the harness's stand-ins.
 * The same promises as live-execution.int-spec.ts (Binance): one order per signal with our client order id, fills
 * booked exactly, a timed-out create resolved by lookup (also across a restart), a bad key refused, and the
 * account's balances reconciled against Kraken's BalanceEx.
 */
describe('trading-engine live execution on Kraken (built engine and auth, ccxt against the loopback Kraken)', () => {
  const h = new EngineHarness();
  let server: LoopbackKraken;
  let rpc: RpcClient;
  let engine: EngineProcess;
  const engines: EngineProcess[] = [];
  let userId: string;
  let keyId: string;
  /** What each bot on the key holds by hand-worked numbers: the exchange account's BTC is their sum. */
  const heldBtc = new Map<string, Decimal>();

  const engineEnv = (overrides: Record<string, string> = {}) => ({
    INTERNAL_RPC_TOKEN,
    // the loopback does not rate limit; ccxt's Kraken throttle (3 s a private call) would only slow the test down
    EXCHANGE_OVERRIDES: JSON.stringify({ kraken: { ...server.ccxtOverrides, enableRateLimit: false } }),
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
  const storeKey = (label: string, secret: string) => account.storeKey({ exchange: 'kraken', label, apiKey: API_KEY, secret });

  beforeAll(async () => {
    await h.start('trading_engine_kraken');
    account = await startLiveAccount(h, { instance: 'auth-kraken', internalRpcToken: INTERNAL_RPC_TOKEN, masterKey: MASTER_KEY, masterKeyId: 'kraken1', userAgent: 'kraken-e2e' });
    ({ rpc, userId } = account);
    server = await startLoopbackKraken({
      apiKey: API_KEY,
      secret: SECRET,
      pairs: ['XBTUSDT'],
      balances: { USDT: '10000' },
      prices: { XBTUSDT: ENTRY_PRICE },
    });
    keyId = await storeKey('main', SECRET);
    engine = await startEngine('kraken-a');
  }, 120_000);

  afterAll(async () => {
    if (process.env.ENGINE_DEBUG_OUTPUT) process.stdout.write(h.output());
    await rpc?.close();
    await h.stop();
    await server?.stop();
  }, 30_000);

  const ordersOf = (botId: string) =>
    h.query<OrderRow>(`SELECT * FROM trading.orders WHERE bot_id = $1 ORDER BY created_at, id`, [botId]);
  const addOrders = () => server.requests.filter((r) => r.method === 'POST' && r.path === '/0/private/AddOrder');
  const addOrdersOf = (clOrdId: string) => addOrders().filter((r) => r.params['cl_ord_id'] === clOrdId);
  const exchangeOrdersOf = (clOrdId: string) => [...server.state.orders.values()].filter((o) => o.clOrdId === clOrdId);
  /** The client order id the engine sends for a signal's first order (Kraken refuses the signal id as it is). */
  const clOrdIdOf = (signal: SignalEmitted.Event) => liveClientOrderId('kraken', signal.payload.signalId, 0);
  const liveBot = (overrides: Partial<StrategyBotView> = {}) =>
    h.addBot({ mode: 'live', exchange: 'kraken', symbol: 'BTC/USDT', userId, apiKeyId: keyId, ...overrides });
  let minute = 0;
  const nextCandle = () => new Date(Date.UTC(2026, 3, 1, 0, minute++)).toISOString();

  async function longPosition(bot: StrategyBotView): Promise<SignalEmitted.Event> {
    const signal = h.signal(bot, 'long', nextCandle(), ENTRY_PRICE);
    await h.publishSignals([signal]);
    await h.waitFor(async () => (await ordersOf(bot.id))[0]?.status === 'filled', 'entry filled');
    return signal;
  }

  it('a buy signal places one Kraken order with our client order id and books its fill exactly; a sell closes it with PnL net of both fees', async () => {
    const bot = liveBot({ initialCapital: '8642.5', positionSizePct: '50' });
    const buy = await longPosition(bot);

    // 50 % of 8 642.5 = 4 321.25 USDT at 43 210.7 = 0.100004165634... BTC, down to Kraken's 8 lot decimals
    const qty = lot('4321.25', ENTRY_PRICE);
    expect(qty.toFixed()).toBe('0.10000416');
    // cost 0.10000416 x 43 210.7 = 4 321.249756512; taker fee 0.26 % = 11.2352493669312, half up to 5 decimals
    const cost = qty.times(ENTRY_PRICE);
    const fee = krakenFee(cost, TAKER);
    expect([cost.toFixed(), fee.toFixed()]).toEqual(['4321.249756512', '11.23525']);

    const clOrdId = clOrdIdOf(buy);
    expect(clOrdId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(addOrdersOf(clOrdId)).toHaveLength(1);
    expect(addOrdersOf(clOrdId)[0]!.params).toMatchObject({
      pair: 'XBTUSDT',
      type: 'buy',
      ordertype: 'market',
      volume: '0.10000416',
    });
    const [remote] = exchangeOrdersOf(clOrdId);
    expect(remote).toMatchObject({ status: 'closed', side: 'buy', type: 'market' });
    const [order] = await ordersOf(bot.id);
    expect(order).toMatchObject({
      client_order_id: clOrdId,
      exchange_order_id: remote!.txid,
      mode: 'live',
      side: 'buy',
      status: 'filled',
      quantity: qty.toFixed(8),
      filled_quantity: qty.toFixed(8),
      avg_fill_price: '43210.70000000',
      fees: money(fee),
      fee_currency: 'USDT',
    });
    expect(order!.order_metadata).toMatchObject({ apiKeyId: keyId, signalId: buy.payload.signalId });
    expect(
      await h.query(
        `SELECT side, price, quantity, quote_quantity, fee, fee_currency, realized_pnl, mode FROM trading.trades WHERE bot_id = $1`,
        [bot.id],
      ),
    ).toEqual([
      {
        side: 'buy',
        price: '43210.70000000',
        quantity: '0.10000416',
        quote_quantity: money(cost), // 4321.24975651
        fee: '11.23525000',
        fee_currency: 'USDT',
        realized_pnl: '0.00000000',
        mode: 'live',
      },
    ]);
    // a buyer's fee is in USDT (fciq, Kraken's default for a buy): the bot holds all it bought, its cash pays cost + fee
    expect(
      await h.query(
        `SELECT status, side, size, avg_entry_price, fees_paid, mode FROM trading.positions WHERE bot_id = $1`,
        [bot.id],
      ),
    ).toEqual([
      {
        status: 'open',
        side: 'long',
        size: '0.10000416',
        avg_entry_price: '43210.70000000',
        fees_paid: '11.23525000',
        mode: 'live',
      },
    ]);
    // 8 642.5 - 4 321.249756512 - 11.23525 = 4 310.014993488
    const cashAfterBuy = new D('8642.5').minus(cost).minus(fee);
    expect(await h.query(`SELECT cash FROM trading.bot_accounts WHERE bot_id = $1`, [bot.id])).toEqual([
      { cash: cashAfterBuy.toFixed() },
    ]);
    expect(
      await h.query(`SELECT currency, free FROM trading.balances WHERE bot_id = $1 ORDER BY currency`, [bot.id]),
    ).toEqual([
      { currency: 'BTC', free: '0.10000416' },
      // the balance shows the cash rounded down to 8 decimals (never more than there is): 4310.01499348
      { currency: 'USDT', free: cashAfterBuy.toDecimalPlaces(8, Decimal.ROUND_DOWN).toFixed(8) },
    ]);
    // the exchange moved the same amounts: 10 000 - 4 321.249756512 - 11.23525 USDT
    expect(server.state.balance('XXBT')).toEqual({ total: '0.10000416', hold: '0', free: '0.10000416' });
    expect(server.state.balance('USDT').total).toBe(new D('10000').minus(cost).minus(fee).toFixed());
    await h.waitFor(
      async () =>
        (await h.streamEvents<{ payload: { botId: string } }>(Streams.Trades)).filter((e) => e.payload.botId === bot.id)
          .length === 2,
      'trade events published',
    );
    const orderEvents = (
      await h.streamEvents<{
        type: string;
        payload: { botId: string; clientOrderId: string; exchangeOrderId: string | null };
      }>(Streams.Orders)
    ).filter((e) => e.payload.botId === bot.id);
    expect(orderEvents.map((e) => [e.type, e.payload.clientOrderId])).toEqual([
      ['order.placed', clOrdId],
      ['order.filled', clOrdId],
    ]);
    expect(orderEvents[0]!.payload.exchangeOrderId).toBe(remote!.txid);

    // the market rises to 44 017.3; the flat signal sells the whole position
    server.state.setPrice('XBTUSDT', EXIT_PRICE);
    const sell = h.signal(bot, 'flat', nextCandle(), EXIT_PRICE);
    await h.publishSignals([sell]);
    await h.waitFor(async () => (await ordersOf(bot.id))[1]?.status === 'filled', 'exit filled');
    server.state.setPrice('XBTUSDT', ENTRY_PRICE);
    // proceeds 0.10000416 x 44 017.3 = 4 401.913111968; taker fee 11.4449740911168 -> 11.44497
    const proceeds = qty.times(EXIT_PRICE);
    const exitFee = krakenFee(proceeds, TAKER);
    expect([proceeds.toFixed(), exitFee.toFixed()]).toEqual(['4401.913111968', '11.44497']);
    // net of both fees: 4 401.913111968 - 4 321.249756512 - 11.23525 - 11.44497 = 57.983135456
    const pnl = proceeds.minus(cost).minus(fee).minus(exitFee);
    expect(pnl.toFixed()).toBe('57.983135456');

    const sellOrder = (await ordersOf(bot.id))[1]!;
    expect(sellOrder).toMatchObject({
      client_order_id: clOrdIdOf(sell),
      side: 'sell',
      quantity: '0.10000416',
      filled_quantity: '0.10000416',
      avg_fill_price: '44017.30000000',
      fees: '11.44497000',
      fee_currency: 'USDT',
    });
    expect(addOrdersOf(clOrdIdOf(sell))).toHaveLength(1);
    expect(addOrdersOf(clOrdIdOf(sell))[0]!.params).toMatchObject({
      type: 'sell',
      ordertype: 'market',
      volume: '0.10000416',
    });
    expect(
      await h.query(
        `SELECT quote_quantity, fee, realized_pnl FROM trading.trades WHERE bot_id = $1 AND side = 'sell'`,
        [bot.id],
      ),
    ).toEqual([{ quote_quantity: money(proceeds), fee: '11.44497000', realized_pnl: money(pnl) }]);
    // closed (a closed position keeps the size it had) with the round trip's PnL net of both fees, to the 1e-8
    expect(
      await h.query(`SELECT status, size, realized_pnl, fees_paid FROM trading.positions WHERE bot_id = $1`, [bot.id]),
    ).toEqual([{ status: 'closed', size: '0.10000416', realized_pnl: '57.98313546', fees_paid: '22.68022000' }]);
    // 8 642.5 + 57.983135456 = 8 700.483135456; the exchange's USDT moved by as much (10 057.983135456)
    expect(await h.query(`SELECT cash FROM trading.bot_accounts WHERE bot_id = $1`, [bot.id])).toEqual([
      { cash: new D('8642.5').plus(pnl).toFixed() },
    ]);
    expect(server.state.balance('USDT').total).toBe(new D('10000').plus(pnl).toFixed());
    expect(server.state.balance('XXBT').total).toBe('0');
    expect(
      await h.query(`SELECT currency, free FROM trading.balances WHERE bot_id = $1 ORDER BY currency`, [bot.id]),
    ).toEqual([
      { currency: 'BTC', free: '0.00000000' },
      { currency: 'USDT', free: '8700.48313545' }, // 8 700.483135456 rounded down
    ]);
    heldBtc.set(bot.id, new D(0));
  });

  it('a redelivered or duplicated signal places nothing new on Kraken', async () => {
    const bot = liveBot({ sizingMode: 'fixed_quote', positionSizePct: null, positionSizeFixed: '400' });
    const signal = h.signal(bot, 'long', nextCandle(), ENTRY_PRICE);
    const copy = { ...signal, id: h.signal(bot, 'long', signal.payload.candleTime, ENTRY_PRICE).id };
    await h.publishSignals([signal, signal, copy]);
    await h.waitFor(
      () => h.groupDone(Streams.StrategySignals, 'trading-engine'),
      'all three deliveries handled and acked',
    );
    await h.publishSignals([signal]);
    await h.waitFor(() => h.groupDone(Streams.StrategySignals, 'trading-engine'), 'a late redelivery handled');

    // 400 USDT at 43 210.7 = 0.0092569664... -> 0.00925696
    const qty = lot('400', ENTRY_PRICE);
    expect(addOrdersOf(clOrdIdOf(signal))).toHaveLength(1);
    expect(exchangeOrdersOf(clOrdIdOf(signal))).toHaveLength(1);
    expect(await ordersOf(bot.id)).toMatchObject([{ status: 'filled', quantity: qty.toFixed(8) }]);
    heldBtc.set(bot.id, qty);
  });

  it('a create that times out on Kraken is resolved by looking the order up by cl_ord_id: one AddOrder, one order', async () => {
    const bot = liveBot({ sizingMode: 'fixed_quote', positionSizePct: null, positionSizeFixed: '1000' });
    const addsBefore = addOrders().length;
    // Kraken performs the order but never answers: ccxt times out after EXCHANGE_TIMEOUT_MS (1.5 s)
    server.injectFault({ method: 'POST', path: '/0/private/AddOrder', times: 1, fault: { kind: 'hang' } });
    const signal = await longPosition(bot);
    const clOrdId = clOrdIdOf(signal);

    expect(addOrders().length - addsBefore).toBe(1);
    expect(addOrdersOf(clOrdId)).toHaveLength(1);
    expect(exchangeOrdersOf(clOrdId)).toHaveLength(1);
    // looked up among open, then closed orders, filtered by our cl_ord_id
    const lookups = server.requests.filter(
      (r) =>
        (r.path === '/0/private/OpenOrders' || r.path === '/0/private/ClosedOrders') &&
        r.params['cl_ord_id'] === clOrdId,
    );
    expect(lookups.map((r) => r.path)).toContain('/0/private/ClosedOrders');
    // 1 000 USDT at 43 210.7 = 0.0231424161... -> 0.02314241
    const qty = lot('1000', ENTRY_PRICE);
    expect(await ordersOf(bot.id)).toMatchObject([
      {
        status: 'filled',
        filled_quantity: qty.toFixed(8),
        fees: money(krakenFee(qty.times(ENTRY_PRICE), TAKER)),
        exchange_order_id: exchangeOrdersOf(clOrdId)[0]!.txid,
      },
    ]);
    expect(await h.query(`SELECT quantity FROM trading.trades WHERE bot_id = $1`, [bot.id])).toEqual([
      { quantity: qty.toFixed(8) },
    ]);
    heldBtc.set(bot.id, qty);
  });

  it('a key Kraken refuses (wrong secret: EAPI:Invalid key) rejects the signal with exchange_auth; nothing placed', async () => {
    const badKey = await storeKey('wrong-secret', WRONG_SECRET);
    const bot = liveBot({ apiKeyId: badKey });
    const addsBefore = addOrders().length;
    const signal = h.signal(bot, 'long', nextCandle(), ENTRY_PRICE);
    await h.publishSignals([signal]);
    await h.waitFor(async () => (await ordersOf(bot.id)).length === 1, 'refusal recorded');

    const [order] = await ordersOf(bot.id);
    expect(order).toMatchObject({ status: 'rejected', rejection_reason: 'exchange_auth', exchange_order_id: null });
    const message = String(order!.order_metadata['rejectionMessage']);
    expect(message).toContain('EAPI:Invalid key');
    expect(message).not.toContain(WRONG_SECRET);
    expect(addOrders().length).toBe(addsBefore);
    await h.waitFor(
      async () =>
        (await h.streamEvents<{ type: string; payload: { botId: string; rejectedBy: string } }>(Streams.Orders)).some(
          (e) => e.type === 'order.rejected' && e.payload.botId === bot.id && e.payload.rejectedBy === 'exchange',
        ),
      'OrderRejected published',
    );
  });

  it('an engine restarted with a resting and a pending Kraken order reconciles both from Kraken before taking signals', async () => {
    server.state.setPrice('XBTUSDT', ENTRY_PRICE);
    // a resting limit buy (manual order) below the market: open on Kraken
    const resting = liveBot();
    const placed = await rpc.send(RpcPatterns.TradingOrdersPlace, {
      caller: { userId, role: 'trader' },
      botId: resting.id,
      side: 'buy',
      type: 'limit',
      quantity: '0.01',
      price: '42000.0',
    });
    expect(placed).toMatchObject({ status: 'submitted', mode: 'live', type: 'limit', price: '42000.00000000' });
    expect(exchangeOrdersOf(placed.clientOrderId)).toMatchObject([{ status: 'open' }]);
    await h.kill(engine);

    // an engine whose create hangs (long timeout) is killed while the order is pending: performed on Kraken
    const slow = await startEngine('kraken-b', { EXCHANGE_TIMEOUT_MS: '30000' });
    const pendingBot = liveBot({ sizingMode: 'fixed_quote', positionSizePct: null, positionSizeFixed: '800' });
    server.injectFault({ method: 'POST', path: '/0/private/AddOrder', times: 1, fault: { kind: 'hang' } });
    const signal = h.signal(pendingBot, 'long', nextCandle(), ENTRY_PRICE);
    const clOrdId = clOrdIdOf(signal);
    await h.publishSignals([signal]);
    await h.waitFor(
      async () => addOrdersOf(clOrdId).length === 1 && (await ordersOf(pendingBot.id))[0]?.status === 'pending',
      'order pending while its create hangs',
    );
    await h.kill(slow);
    expect(exchangeOrdersOf(clOrdId)).toMatchObject([{ status: 'closed' }]);

    // while no engine runs, the market falls through the limit: it fills at 42 000 as maker
    server.state.setPrice('XBTUSDT', '41900');
    expect(exchangeOrdersOf(placed.clientOrderId)).toMatchObject([{ status: 'closed' }]);
    server.state.setPrice('XBTUSDT', ENTRY_PRICE);

    // this engine also checks the account's balances every second (the tests below)
    engine = await startEngine('kraken-c', { BALANCE_RECONCILE_INTERVAL_MS: '1000' });
    // reconciled before /health/ready: 0.01 x 42 000 = 420 USDT, maker fee 0.16 % = 0.672 USDT
    expect(await ordersOf(resting.id)).toMatchObject([
      {
        status: 'filled',
        filled_quantity: '0.01000000',
        avg_fill_price: '42000.00000000',
        fees: money(krakenFee('420', MAKER)),
        fee_currency: 'USDT',
      },
    ]);
    expect(
      await h.query(`SELECT size, avg_entry_price FROM trading.positions WHERE bot_id = $1`, [resting.id]),
    ).toEqual([{ size: '0.01000000', avg_entry_price: '42000.00000000' }]);
    // 800 USDT at 43 210.7 = 0.0185139328... -> 0.01851393
    const qty = lot('800', ENTRY_PRICE);
    expect(await ordersOf(pendingBot.id)).toMatchObject([
      { status: 'filled', filled_quantity: qty.toFixed(8), exchange_order_id: exchangeOrdersOf(clOrdId)[0]!.txid },
    ]);
    expect(await h.query(`SELECT quantity FROM trading.trades WHERE bot_id = $1`, [pendingBot.id])).toEqual([
      { quantity: qty.toFixed(8) },
    ]);
    // the killed engine's unacked signal is taken over and found handled: still one AddOrder, one order on Kraken
    await h.waitFor(() => h.groupDone(Streams.StrategySignals, 'trading-engine'), 'signal taken over and acked');
    expect(addOrdersOf(clOrdId)).toHaveLength(1);
    expect(exchangeOrdersOf(clOrdId)).toHaveLength(1);
    heldBtc.set(resting.id, new D('0.01'));
    heldBtc.set(pendingBot.id, qty);
  });

  const checksWithBtc = (total: string) =>
    h.query<{
      total_balance: string;
      available_balance: string;
      locked_balance: string;
      ledger_balance: string | null;
    }>(
      `SELECT * FROM trading.account_balance WHERE snapshot_type = 'reconciliation' AND currency = 'BTC' AND exchange = 'kraken' AND total_balance = $1 ORDER BY "timestamp", id`,
      [total],
    );
  const driftEvents = async (action: string) =>
    (await h.streamEvents<AuditEvent>(Streams.Audit)).filter((e) => e.payload.action === action);
  const metrics = async () =>
    (
      (await (await fetch(`http://127.0.0.1:${engine.port}/metrics`)).json()) as {
        balanceReconciliation: { driftingAssets: number; drifts: unknown[] };
      }
    ).balanceReconciliation;

  it('balances reconciled against Kraken’s BalanceEx: the account holds exactly what its bots hold, no drift', async () => {
    // 0 + 0.00925696 + 0.02314241 + 0.01 + 0.01851393 = 0.0609133 BTC (the loopback took every fee in USDT)
    const total = [...heldBtc.values()].reduce((sum, q) => sum.plus(q), new D(0));
    expect(total.toFixed(8)).toBe('0.06091330');
    expect(server.state.balance('XXBT').total).toBe(total.toFixed());

    const [row] = await h.waitFor(async () => {
      const rows = await checksWithBtc(total.toFixed(8));
      return rows.length ? rows : undefined;
    }, 'a check of the Kraken account');
    expect(row).toMatchObject({
      bot_id: null,
      user_id: userId,
      total_balance: '0.06091330',
      available_balance: '0.06091330',
      locked_balance: '0.00000000',
      ledger_balance: '0.06091330',
      exchange: 'kraken',
      exchange_key_id: keyId,
      data_source: 'exchange',
    });
    const [usdt] = await h.query<{ total_balance: string; ledger_balance: string | null }>(
      `SELECT total_balance, ledger_balance FROM trading.account_balance WHERE snapshot_type = 'reconciliation' AND currency = 'USDT' AND exchange_key_id = $1 ORDER BY "timestamp" DESC LIMIT 1`,
      [keyId],
    );
    expect(usdt).toEqual({ total_balance: money(server.state.balance('USDT').total), ledger_balance: null });
    expect(
      server.requests.some((r) => r.path === '/0/private/BalanceEx' && typeof r.params['nonce'] === 'string'),
    ).toBe(true);
    expect(await driftEvents('system.balance_drift')).toEqual([]);
    expect(await metrics()).toMatchObject({ driftingAssets: 0, drifts: [] });
  });

  it('BTC taken off the Kraken account by hand is reported as system.balance_drift, once, and resolved when it is back', async () => {
    const total = [...heldBtc.values()].reduce((sum, q) => sum.plus(q), new D(0));
    // 0.005 BTC withdrawn by hand: Kraken has 0.0559133, the bots 0.0609133
    const short = total.minus('0.005');
    server.state.setBalance('XXBT', short.toFixed());
    const [drift] = await h.waitFor(async () => {
      const events = await driftEvents('system.balance_drift');
      return events.length ? events : undefined;
    }, 'a drift event published');
    expect(drift!.source).toBe('trading-engine');
    expect(drift!.payload).toMatchObject({
      action: 'system.balance_drift',
      outcome: 'failure',
      resourceType: 'exchange_account',
      resourceId: keyId,
      details: {
        userId,
        exchange: 'kraken',
        exchangeKeyId: keyId,
        asset: 'BTC',
        exchangeTotal: '0.0559133',
        ledger: '0.0609133',
        shortfall: '0.005',
        allowed: '0.00000001', // one lot step of Kraken's 8 lot decimals
      },
    });
    expect(new Set(drift!.payload.details['bots'] as string[])).toEqual(new Set(heldBtc.keys()));
    expect(validateEnvelope(drift, Streams.Audit)).toMatchObject({ ok: true });
    expect(await checksWithBtc('0.05591330')).toMatchObject([{ ledger_balance: '0.06091330' }]);
    await h.waitFor(async () => (await checksWithBtc('0.05591330')).length >= 2, 'a second check of the short balance');
    expect(await driftEvents('system.balance_drift')).toHaveLength(1);
    expect(await metrics()).toMatchObject({
      driftingAssets: 1,
      drifts: [
        { asset: 'BTC', exchangeKeyId: keyId, exchangeTotal: '0.0559133', ledger: '0.0609133', shortfall: '0.005' },
      ],
    });

    server.state.setBalance('XXBT', total.toFixed());
    await h.waitFor(
      async () => (await driftEvents('system.balance_drift_resolved')).length === 1,
      'the drift resolved',
    );
    expect(await metrics()).toMatchObject({ driftingAssets: 0, drifts: [] });
  });

  it('no decrypted secret or key in the engines’ logs, the orders’ metadata or any published event', async () => {
    const logs = engines.map((e) => e.proc.output()).join('\n');
    expect(logs.length).toBeGreaterThan(1000); // debug logging was on: there is something to search
    expect(logs).toContain('live balances reconciled');
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
