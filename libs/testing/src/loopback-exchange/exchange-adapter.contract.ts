import {
  BalanceEntry,
  CcxtExchangeAdapter,
  CreateOrderRequest,
  ExchangeError,
  ExchangeFinalError,
  ExchangeFinalErrorCode,
  ExchangeRetryableError,
  Fee,
  MarketInfo,
  OrderNotPlacedError,
  OrderOutcomeUnknownError,
} from '@trading/exchange';
import type { TransportFault } from './loopback-faults';
import type { LoopbackExchange, LoopbackRequest } from './loopback-http';

/** What the contract does to an exchange's memory (both loopback states offer it). */
interface ContractState {
  readonly orders: { readonly size: number };
  setPrice(market: string, price: string): void;
  setBalance(asset: string, amount: string): void;
}

type ContractServer<F extends { kind: string }> = LoopbackExchange<ContractState, TransportFault | F>;

export interface Endpoint {
  method: string;
  path: string;
}

/** A request the adapter must send: method, path and the params that matter (others may come along). */
export interface ExpectedRequest extends Endpoint {
  params?: Record<string, string>;
}

export type ErrorKind = 'retryable' | ExchangeFinalErrorCode;

type OrderSpec = Pick<CreateOrderRequest, 'type' | 'amount' | 'price' | 'referencePrice'>;

/**
 * One exchange as the shared adapter contract sees it: how to start its loopback server, its names
 * for BTC/USDT, where its requests go, and the numbers it answers, worked by hand in the profile.
 */
export interface ExchangeProfile<S extends ContractServer<F>, F extends { kind: string }> {
  /** As in "CcxtExchangeAdapter against the loopback <name>". */
  name: string;
  exchangeId: string;
  start(): Promise<S>;
  /** The server's ids for BTC/USDT (state.setPrice) and for BTC (state.setBalance). */
  pairId: string;
  baseAssetId: string;
  /** The server's balance of an asset, total = free + held. */
  serverBalance(server: S, asset: string): { total: string; held: string; free: string };

  endpoints: {
    createOrder: Endpoint;
    /** Where fetchBalance goes (and where the error-mapping faults are injected). */
    balance: Endpoint;
    /** The first request of a lookup by client order id. */
    lookup: Endpoint;
  };
  /** The requests loadMarkets makes, as "METHOD /path", once however often it is called. */
  marketRequests: string[];
  /** The requests of one createOrder once markets are loaded. */
  createRoundTrip: string[];
  /** The requests a lookup by client order id makes for an order that is open, or closed. */
  lookupRequests(clientOrderId: string, found: 'open' | 'closed'): ExpectedRequest[];
  /** The cancel request naming our client order id. */
  cancelRequest(clientOrderId: string): ExpectedRequest;
  /** The requests of fetchOrderTrades for an order (its trade ids read from the server's state where needed). */
  orderTradesRequests(server: S, orderId: string): ExpectedRequest[];
  /** What a limit buy of 0.0123456789 at 60 000.123 is sent as, once rounded. */
  roundedLimitBuy(clientOrderId: string): Record<string, string>;

  market: MarketInfo;
  /** Other markets, partly: their own ticks and minimums. */
  otherMarkets: Record<string, Partial<MarketInfo>>;
  recorded: {
    /** The recorded 1h candle opening at 1706630400000 (asked for with since 1706628191000). */
    candle: { open: string; high: string; low: string; close: string; volume: string };
    last: string;
    balances: Record<string, BalanceEntry>;
  };
  /** The rounded limit buy: its amount and price, and the USDT balance while it rests. */
  roundedBuy: { amount: string; price: string; usdtWhileOpen: BalanceEntry };
  /** Orders refused before sending: one under the amount minimum, one under the notional minimum. */
  belowMinimum: { amount: OrderSpec; notional: OrderSpec & { message: RegExp } };
  /** A market buy of 0.1 at 50 000 (taker): its fee and the balances after it. */
  marketBuy: { fee: Fee; balancesAfter: Record<string, BalanceEntry> };
  /**
   * A limit sell of 0.1 at 52 000 resting at 50 000 with 0.5 BTC, filled as maker when the price reaches
   * 52 500: the trade's fee, the fees the order itself reports, the USDT balance after.
   */
  makerSell: { fee: Fee; orderFees: Fee[]; usdtAfter: BalanceEntry };

  /** Answers on the balance endpoint and what the adapter makes of them. */
  errorTable: Array<[name: string, kind: ErrorKind, fault: F]>;
  /** Answers to createOrder given instead of performing it, for which the outcome is unknown until looked up. */
  createNotPerformed: Array<[name: string, fault: F]>;
  /** An error answer whose text echoes `text`. */
  echoFault(text: string): F;
  /** The text of the exchange's refusal for lack of funds. */
  insufficientFundsText: string;
  /** A secret the server does not know (in the exchange's secret format) and the text it answers it with. */
  wrongSecret: { secret: string; answer: string };
}

export interface ContractContext<S> {
  readonly server: S;
  readonly adapter: CcxtExchangeAdapter;
  /** Closes the adapter and makes a new one with these options. */
  reopen(overrides?: AdapterOverrides): Promise<void>;
}

interface AdapterOverrides {
  timeoutMs?: number;
  secret?: string;
}

/** The platform's client order ids are UUID v7 (live-order-desk newClientOrderId). */
export const cid = (n: number) => `0190a6b8-5c2e-7d3f-8a1b-${String(n).padStart(12, '0')}`;

export async function caught(promise: Promise<unknown>): Promise<ExchangeError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ExchangeError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

export const kindOf = (error: ExchangeError): ErrorKind =>
  error instanceof ExchangeFinalError ? error.code : 'retryable';

export const requestsTo = (server: { requests: LoopbackRequest[] }, { method, path }: Endpoint) =>
  server.requests.filter((r) => r.method === method && r.path === path);

const described = (requests: LoopbackRequest[]) => requests.map((r) => `${r.method} ${r.path}`);

const like = ({ method, path, params }: ExpectedRequest) =>
  expect.objectContaining({ method, path, ...(params ? { params: expect.objectContaining(params) } : {}) });

/** A balance nothing holds. */
export const settled = (amount: string): BalanceEntry => ({ free: amount, used: '0', total: amount });

const SYMBOL = 'BTC/USDT';

/** A limit buy of 0.01 BTC (600 USDT at 60 000): rests at the loopbacks' default prices, which are higher. */
export const limitBuyOf = (clientOrderId: string, price = '60000'): CreateOrderRequest => ({
  symbol: SYMBOL,
  type: 'limit',
  side: 'buy',
  amount: '0.01',
  price,
  clientOrderId,
});

/**
 * Declares the checks of CcxtExchangeAdapter every exchange must pass against its loopback server
 * (markets, balances, orders by client order id, lookups, cancels, trades, error mapping, createOrder
 * whose outcome is unknown), inside the caller's `describe`. A fresh server and adapter per test;
 * the returned context gives them to the exchange's own tests.
 */
export function exchangeAdapterContract<S extends ContractServer<F>, F extends { kind: string }>(
  profile: ExchangeProfile<S, F>,
): ContractContext<S> {
  let server: S | undefined;
  let adapter: CcxtExchangeAdapter | undefined;

  const adapterFor = (on: S, overrides: AdapterOverrides = {}) =>
    new CcxtExchangeAdapter({
      exchangeId: profile.exchangeId,
      ...on.credentials,
      ...(overrides.secret ? { secret: overrides.secret } : {}),
      ...on.ccxtOverrides,
      enableRateLimit: false,
      timeoutMs: overrides.timeoutMs ?? 2_000,
      orderLookup: { attempts: 2, delayMs: 0 },
    });

  const t: ContractContext<S> = {
    get server(): S {
      if (!server) throw new Error('the loopback server starts in beforeEach');
      return server;
    },
    get adapter(): CcxtExchangeAdapter {
      if (!adapter) throw new Error('the adapter is made in beforeEach');
      return adapter;
    },
    async reopen(overrides) {
      await t.adapter.close();
      adapter = adapterFor(t.server, overrides);
    },
  };

  beforeEach(async () => {
    server = await profile.start();
    adapter = adapterFor(server);
  });

  afterEach(async () => {
    await adapter?.close();
    await server?.stop();
    adapter = undefined;
    server = undefined;
  });

  const createRequests = () => requestsTo(t.server, profile.endpoints.createOrder);
  const limitBuy = (clientOrderId: string, price?: string) => t.adapter.createOrder(limitBuyOf(clientOrderId, price));
  const market = (side: 'buy' | 'sell', amount: string, clientOrderId: string, referencePrice?: string) =>
    t.adapter.createOrder({ symbol: SYMBOL, type: 'market', side, amount, clientOrderId, referencePrice });
  /** The taker fill of a market buy of 0.1 at 50 000. */
  const boughtAt50000 = (orderId: string) =>
    expect.objectContaining({
      orderId,
      side: 'buy',
      amount: '0.1',
      price: '50000',
      cost: '5000',
      takerOrMaker: 'taker',
      fee: profile.marketBuy.fee,
    });
  const expectBalances = async (expected: Record<string, BalanceEntry>) => {
    const balances = await t.adapter.fetchBalance();
    for (const [asset, balance] of Object.entries(expected)) expect(balances[asset]).toEqual(balance);
  };
  /** What the adapter sent after the first request to `endpoint`. */
  const requestsAfter = (endpoint: Endpoint) => {
    const at = t.server.requests.findIndex((r) => r.method === endpoint.method && r.path === endpoint.path);
    return t.server.requests.slice(at + 1);
  };

  it(`maps markets to tick, step, limits and fees as decimal strings (${profile.marketRequests.join(', ')}, once)`, async () => {
    const markets = await t.adapter.loadMarkets();

    expect(markets[SYMBOL]).toEqual(profile.market);
    for (const [symbol, market] of Object.entries(profile.otherMarkets)) expect(markets[symbol]).toMatchObject(market);
    await t.adapter.loadMarkets();
    expect(described(t.server.requests)).toEqual(profile.marketRequests);
  });

  it('fetches candles, ticker and balances as decimal strings', async () => {
    expect(await t.adapter.fetchOHLCV(SYMBOL, '1h', 1706628191000, 1)).toEqual([
      { timestamp: 1706630400000, ...profile.recorded.candle },
    ]);
    expect(await t.adapter.fetchTicker(SYMBOL)).toMatchObject({ symbol: SYMBOL, last: profile.recorded.last });
    await expectBalances(profile.recorded.balances);
    expect(requestsTo(t.server, profile.endpoints.balance)).toHaveLength(1);
  });

  it('rounds amount and price to the pair precision, sends our client order id, and holds the cost', async () => {
    await t.adapter.loadMarkets();
    const before = t.server.requests.length;

    const order = await t.adapter.createOrder({
      symbol: SYMBOL,
      type: 'limit',
      side: 'buy',
      amount: '0.0123456789',
      price: '60000.123',
      clientOrderId: cid(1),
    });

    expect(described(t.server.requests.slice(before))).toEqual(profile.createRoundTrip);
    expect(createRequests()[0]?.params).toMatchObject(profile.roundedLimitBuy(cid(1)));
    const { amount, price } = profile.roundedBuy;
    expect(order).toMatchObject({
      clientOrderId: cid(1),
      status: 'open',
      type: 'limit',
      side: 'buy',
      amount,
      price,
      filled: '0',
      remaining: amount,
    });
    expect((await t.adapter.fetchBalance())['USDT']).toEqual(profile.roundedBuy.usdtWhileOpen);
  });

  it('refuses an order under the minimum amount or notional without sending it', async () => {
    await t.adapter.loadMarkets();
    const { amount, notional } = profile.belowMinimum;
    const order = (spec: OrderSpec, clientOrderId: string) =>
      t.adapter.createOrder({ symbol: SYMBOL, side: 'buy', clientOrderId, ...spec });

    const belowAmount = await caught(order(amount, cid(2)));
    const belowNotional = await caught(order(notional, cid(3)));

    expect(belowAmount).toBeInstanceOf(ExchangeFinalError);
    expect(kindOf(belowAmount)).toBe('invalid_order');
    expect(belowNotional).toBeInstanceOf(ExchangeFinalError);
    expect(kindOf(belowNotional)).toBe('invalid_order');
    expect(belowNotional.message).toMatch(notional.message);
    expect(createRequests()).toHaveLength(0);
  });

  it('creates a market order, fetches it by id and by client order id, and lists its trade', async () => {
    t.server.state.setPrice(profile.pairId, '50000');
    const created = await market('buy', '0.1', cid(4));

    // 0.1 x 50 000 = 5 000 USDT
    expect(created).toMatchObject({
      clientOrderId: cid(4),
      status: 'closed',
      filled: '0.1',
      remaining: '0',
      cost: '5000',
      average: '50000',
      price: undefined,
    });
    expect(created.fees).toEqual([profile.marketBuy.fee]);
    expect((await t.adapter.fetchOrder({ symbol: SYMBOL, id: created.id })).clientOrderId).toBe(cid(4));
    const before = t.server.requests.length;
    expect((await t.adapter.fetchOrder({ symbol: SYMBOL, clientOrderId: cid(4) })).id).toBe(created.id);
    expect(t.server.requests.slice(before)).toEqual(profile.lookupRequests(cid(4), 'closed').map(like));
    expect(await t.adapter.fetchMyTrades(SYMBOL)).toEqual([boughtAt50000(created.id)]);
    await expectBalances(profile.marketBuy.balancesAfter);
  });

  it('fetches the fills of one order only (fetchOrderTrades)', async () => {
    t.server.state.setPrice(profile.pairId, '50000');
    const first = await market('buy', '0.1', cid(5));
    await market('sell', '0.05', cid(6));
    const before = t.server.requests.length;

    const fills = await t.adapter.fetchOrderTrades({ symbol: SYMBOL, id: first.id });

    expect(fills).toEqual([boughtAt50000(first.id)]);
    expect(t.server.requests.slice(before)).toEqual(profile.orderTradesRequests(t.server, first.id).map(like));
  });

  it('a resting limit fills at its price as maker once the market reaches it', async () => {
    t.server.state.setPrice(profile.pairId, '50000');
    t.server.state.setBalance(profile.baseAssetId, '0.5');
    const order = await t.adapter.createOrder({
      symbol: SYMBOL,
      type: 'limit',
      side: 'sell',
      amount: '0.1',
      price: '52000',
      clientOrderId: cid(7),
    });
    expect(order.status).toBe('open');
    expect((await t.adapter.fetchBalance())['BTC']).toEqual({ free: '0.4', used: '0.1', total: '0.5' });

    t.server.state.setPrice(profile.pairId, '52500');

    expect(await t.adapter.fetchOrder({ symbol: SYMBOL, clientOrderId: cid(7) })).toMatchObject({
      status: 'closed',
      filled: '0.1',
      average: '52000',
      fees: profile.makerSell.orderFees,
    });
    expect(await t.adapter.fetchMyTrades(SYMBOL)).toEqual([
      expect.objectContaining({ orderId: order.id, price: '52000', takerOrMaker: 'maker', fee: profile.makerSell.fee }),
    ]);
    expect((await t.adapter.fetchBalance())['USDT']).toEqual(profile.makerSell.usdtAfter);
  });

  it('cancels by client order id and by id, and lists open orders', async () => {
    const a = await limitBuy(cid(8));
    const b = await limitBuy(cid(9), '61000');
    expect((await t.adapter.fetchOpenOrders(SYMBOL)).map((o) => o.clientOrderId)).toEqual([cid(8), cid(9)]);
    expect((await t.adapter.fetchOpenOrders()).map((o) => o.clientOrderId)).toEqual([cid(8), cid(9)]);

    const byClientId = await t.adapter.cancelOrder({ symbol: SYMBOL, clientOrderId: cid(8) });
    expect(byClientId).toMatchObject({
      id: a.id,
      clientOrderId: cid(8),
      status: 'canceled',
    });
    const cancel = profile.cancelRequest(cid(8));
    expect(requestsTo(t.server, cancel).at(-1)?.params).toMatchObject(cancel.params ?? {});
    // By id too, the answer names the order's own client order id (not the cancel request's).
    expect(await t.adapter.cancelOrder({ symbol: SYMBOL, id: b.id })).toMatchObject({ clientOrderId: cid(9), status: 'canceled' });
    expect(await t.adapter.fetchOpenOrders(SYMBOL)).toEqual([]);
    expect((await t.adapter.fetchOrder({ symbol: SYMBOL, id: a.id })).status).toBe('canceled');
    expect(kindOf(await caught(t.adapter.cancelOrder({ symbol: SYMBOL, id: a.id })))).toBe('order_not_found');
    expect(kindOf(await caught(t.adapter.cancelOrder({ symbol: SYMBOL, clientOrderId: cid(8) })))).toBe(
      'order_not_found',
    );
    expect(profile.serverBalance(t.server, 'USDT')).toEqual({ total: '10000', held: '0', free: '10000' });
  });

  describe('createOrder whose outcome is unknown', () => {
    it('a timeout after the server accepted the order resolves to that order: exactly one order exists', async () => {
      await t.reopen({ timeoutMs: 300 });
      t.server.injectFault({ ...profile.endpoints.createOrder, fault: { kind: 'hang' } });

      const order = await limitBuy(cid(11));

      expect(order).toMatchObject({ clientOrderId: cid(11), status: 'open', amount: '0.01' });
      expect(t.server.state.orders.size).toBe(1);
      expect(createRequests()).toHaveLength(1);
      expect(requestsAfter(profile.endpoints.createOrder)).toEqual(profile.lookupRequests(cid(11), 'open').map(like));
    });

    it('a connection dropped after a market order filled resolves to the filled order, never a second one', async () => {
      t.server.state.setBalance(profile.baseAssetId, '0.5');
      t.server.injectFault({ ...profile.endpoints.createOrder, fault: { kind: 'drop' } });

      const order = await market('sell', '0.001', cid(12), '73000');

      expect(order).toMatchObject({ clientOrderId: cid(12), status: 'closed', filled: '0.001' });
      expect(t.server.state.orders.size).toBe(1);
      expect(createRequests()).toHaveLength(1);
      expect(requestsAfter(profile.endpoints.createOrder)).toEqual(profile.lookupRequests(cid(12), 'closed').map(like));
    });

    it('a connection dropped before the order reached the book reports OrderNotPlacedError (safe to resend)', async () => {
      t.server.injectFault({ ...profile.endpoints.createOrder, fault: { kind: 'drop', beforeAction: true } });

      const error = await caught(limitBuy(cid(13)));

      expect(error).toBeInstanceOf(OrderNotPlacedError);
      expect(error.retryable).toBe(true);
      expect(t.server.state.orders.size).toBe(0);
      expect((await limitBuy(cid(13))).clientOrderId).toBe(cid(13));
      expect(t.server.state.orders.size).toBe(1);
    });

    it.each(profile.createNotPerformed)(
      '%s on createOrder (not performed): looked up, not found, OrderNotPlacedError',
      async (_name, fault) => {
        t.server.injectFault({ ...profile.endpoints.createOrder, fault });

        const error = await caught(limitBuy(cid(14)));

        expect(error).toBeInstanceOf(OrderNotPlacedError);
        expect(createRequests()).toHaveLength(1);
        expect(t.server.state.orders.size).toBe(0);
      },
    );

    it('reports OrderOutcomeUnknownError (final, never resend) when the lookups fail too', async () => {
      t.server.injectFault({ ...profile.endpoints.createOrder, fault: { kind: 'drop' } });
      t.server.injectFault({ ...profile.endpoints.lookup, times: 2, fault: { kind: 'status', status: 503 } });

      const error = await caught(limitBuy(cid(15)));

      expect(error).toBeInstanceOf(OrderOutcomeUnknownError);
      expect(error.retryable).toBe(false);
      expect((error as OrderOutcomeUnknownError).clientOrderId).toBe(cid(15));
      expect(createRequests()).toHaveLength(1);
      expect(requestsTo(t.server, profile.endpoints.lookup)).toHaveLength(2);
    });
  });

  describe(`error mapping (${profile.name} answer -> our error kind)`, () => {
    it.each(profile.errorTable)('%s -> %s', async (_name, expected, fault) => {
      t.server.injectFault({ ...profile.endpoints.balance, fault });

      const error = await caught(t.adapter.fetchBalance());

      expect(kindOf(error)).toBe(expected);
      expect(error).toBeInstanceOf(expected === 'retryable' ? ExchangeRetryableError : ExchangeFinalError);
    });

    it('a real rejection by the server state maps the same way (insufficient funds on create)', async () => {
      // 1 BTC at 60 000 USDT, with 10 000 USDT
      const tooBig = await caught(t.adapter.createOrder({ ...limitBuyOf(cid(16)), amount: '1' }));

      expect(kindOf(tooBig)).toBe('insufficient_funds');
      expect(tooBig.message).toContain(profile.insufficientFundsText);
      expect(t.server.state.orders.size).toBe(0);
    });

    it('never puts the API key or secret in an error message', async () => {
      const { apiKey, secret } = t.server.credentials;
      t.server.injectFault({ ...profile.endpoints.balance, fault: profile.echoFault(`key ${apiKey} and ${secret}`) });

      const error = await caught(t.adapter.fetchBalance());

      expect(error.message).toContain('***');
      expect(error.message).not.toContain(apiKey);
      expect(error.message).not.toContain(secret);
      expect(JSON.stringify(t.adapter)).not.toContain(secret);
    });

    it('a wrong secret is an auth error, and no credential reaches the message', async () => {
      const { secret, answer } = profile.wrongSecret;
      await t.reopen({ secret });

      const error = await caught(t.adapter.fetchBalance());

      expect(kindOf(error)).toBe('auth');
      expect(error.message).toContain(answer);
      expect(error.message).not.toContain(secret);
      expect(error.message).not.toContain(t.server.credentials.apiKey);
      expect(JSON.stringify(t.adapter)).not.toContain(secret);
    });
  });

  return t;
}
