import {
  CcxtExchangeAdapter,
  ExchangeError,
  ExchangeFinalError,
  ExchangeRetryableError,
  OrderNotPlacedError,
  OrderOutcomeUnknownError,
} from '@trading/exchange';
import { KrakenFault, LoopbackKraken, startLoopbackKraken } from './index';

/** The platform's client order ids are UUID v7 (live-order-desk newClientOrderId): Kraken's long UUID format. */
const cid = (n: number) => `0190a6b8-5c2e-7d3f-8a1b-${String(n).padStart(12, '0')}`;

function adapterFor(
  server: LoopbackKraken,
  overrides: { timeoutMs?: number; secret?: string } = {},
): CcxtExchangeAdapter {
  return new CcxtExchangeAdapter({
    exchangeId: 'kraken',
    ...server.credentials,
    ...(overrides.secret ? { secret: overrides.secret } : {}),
    ...server.ccxtOverrides,
    enableRateLimit: false,
    timeoutMs: overrides.timeoutMs ?? 2_000,
    orderLookup: { attempts: 2, delayMs: 0 },
  });
}

async function caught(promise: Promise<unknown>): Promise<ExchangeError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ExchangeError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

const kindOf = (error: ExchangeError) => (error instanceof ExchangeFinalError ? error.code : 'retryable');
const calls = (server: LoopbackKraken, endpoint: string) =>
  server.requests.filter((r) => r.method === 'POST' && r.path === `/0/private/${endpoint}`);
const paths = (server: LoopbackKraken) => server.requests.map((r) => r.path.replace(/^\/0\/(public|private)\//, ''));

describe('CcxtExchangeAdapter against the loopback Kraken', () => {
  let server: LoopbackKraken;
  let adapter: CcxtExchangeAdapter;

  beforeEach(async () => {
    server = await startLoopbackKraken();
    adapter = adapterFor(server);
  });

  afterEach(async () => {
    await adapter.close();
    await server.stop();
  });

  it('maps markets to tick, step, limits and fees as decimal strings (Assets + AssetPairs, once)', async () => {
    const markets = await adapter.loadMarkets();

    expect(markets['BTC/USDT']).toEqual({
      symbol: 'BTC/USDT',
      base: 'BTC',
      quote: 'USDT',
      priceTick: '0.1',
      amountStep: '0.00000001',
      minAmount: '0.0001',
      maxAmount: undefined,
      minNotional: '0.5',
      makerFee: '0.0016',
      takerFee: '0.0026',
    });
    expect(markets['LTC/USDT']).toMatchObject({ priceTick: '0.00001', minAmount: '0.08', minNotional: '0.5' });
    expect(markets['BTC/USD']).toMatchObject({ base: 'BTC', quote: 'USD' });
    await adapter.loadMarkets();
    expect(paths(server)).toEqual(['Assets', 'AssetPairs']);
  });

  it('fetches candles, ticker and balances as decimal strings', async () => {
    expect(await adapter.fetchOHLCV('BTC/USDT', '1h', 1706628191000, 1)).toEqual([
      {
        timestamp: 1706630400000,
        open: '43366.3',
        high: '43529.2',
        low: '43234.2',
        close: '43485',
        volume: '12.51327406',
      },
    ]);
    expect(await adapter.fetchTicker('BTC/USDT')).toMatchObject({ symbol: 'BTC/USDT', last: '73380.6' });
    const balances = await adapter.fetchBalance();
    expect(balances['USDT']).toEqual({ free: '10000', used: '0', total: '10000' });
    expect(balances['USD']).toEqual({ free: '10000', used: '0', total: '10000' });
    expect(calls(server, 'BalanceEx')).toHaveLength(1);
  });

  it('rounds amount and price to the pair precision and sends our client order id as cl_ord_id', async () => {
    const order = await adapter.createOrder({
      symbol: 'BTC/USDT',
      type: 'limit',
      side: 'buy',
      amount: '0.0123456789',
      price: '60000.123',
      clientOrderId: cid(1),
    });

    expect(calls(server, 'AddOrder')[0]!.params).toMatchObject({
      pair: 'XBTUSDT',
      type: 'buy',
      ordertype: 'limit',
      volume: '0.01234567',
      price: '60000.1',
      cl_ord_id: cid(1),
    });
    expect(order).toMatchObject({
      clientOrderId: cid(1),
      status: 'open',
      type: 'limit',
      side: 'buy',
      amount: '0.01234567',
      price: '60000.1',
      filled: '0',
      remaining: '0.01234567',
    });
    // AddOrder answers the txid only: the adapter reads the order's state once
    expect(paths(server).slice(-2)).toEqual(['AddOrder', 'QueryOrders']);
    // held: 0.01234567 x 60 000.1 = 740.741434567, plus the taker fee 1.925927729... rounded up to 5 places (1.92593)
    expect((await adapter.fetchBalance())['USDT']).toEqual({
      free: '9257.332635433',
      used: '742.667364567',
      total: '10000',
    });
  });

  it('refuses an order under the minimum amount or cost without sending it', async () => {
    await adapter.loadMarkets();
    const belowMinimum = await caught(
      adapter.createOrder({
        symbol: 'BTC/USDT',
        type: 'limit',
        side: 'buy',
        amount: '0.00005',
        price: '60000',
        clientOrderId: cid(2),
      }),
    );
    expect(kindOf(belowMinimum)).toBe('invalid_order');
    // 0.0001 x 4 000 = 0.4 USDT < 0.5 USDT costmin
    const belowCost = await caught(
      adapter.createOrder({
        symbol: 'BTC/USDT',
        type: 'limit',
        side: 'buy',
        amount: '0.0001',
        price: '4000',
        clientOrderId: cid(3),
      }),
    );
    expect(kindOf(belowCost)).toBe('invalid_order');
    expect(belowCost.message).toMatch(/notional 0.4 below minimum 0.5/);
    expect(calls(server, 'AddOrder')).toHaveLength(0);
  });

  it('creates a market order, fetches it by id and by client order id, and lists its trade', async () => {
    server.state.setPrice('XBTUSDT', '50000');
    const created = await adapter.createOrder({
      symbol: 'BTC/USDT',
      type: 'market',
      side: 'buy',
      amount: '0.1',
      clientOrderId: cid(4),
    });

    // 0.1 x 50 000 = 5 000 USDT, taker fee 0.26 % = 13 USDT, charged in quote
    expect(created).toMatchObject({
      clientOrderId: cid(4),
      status: 'closed',
      filled: '0.1',
      remaining: '0',
      cost: '5000',
      average: '50000',
      price: undefined,
    });
    expect(created.fees).toEqual([{ currency: 'USDT', cost: '13' }]);
    expect((await adapter.fetchOrder({ symbol: 'BTC/USDT', id: created.id })).clientOrderId).toBe(cid(4));
    const before = server.requests.length;
    expect((await adapter.fetchOrder({ symbol: 'BTC/USDT', clientOrderId: cid(4) })).id).toBe(created.id);
    // open orders first (not there: it filled), then the closed ones, both filtered by cl_ord_id
    expect(server.requests.slice(before).map((r) => [r.path, r.params['cl_ord_id']])).toEqual([
      ['/0/private/OpenOrders', cid(4)],
      ['/0/private/ClosedOrders', cid(4)],
    ]);
    const trades = await adapter.fetchMyTrades('BTC/USDT');
    expect(trades).toEqual([
      expect.objectContaining({
        orderId: created.id,
        side: 'buy',
        amount: '0.1',
        price: '50000',
        cost: '5000',
        takerOrMaker: 'taker',
        fee: { currency: 'USDT', cost: '13' },
      }),
    ]);
    const balances = await adapter.fetchBalance();
    expect(balances['USDT']).toEqual({ free: '4987', used: '0', total: '4987' });
    expect(balances['BTC']).toEqual({ free: '0.1', used: '0', total: '0.1' });
  });

  it('fetches the fills of one order only (fetchOrderTrades through the order trade ids)', async () => {
    server.state.setPrice('XBTUSDT', '50000');
    const first = await adapter.createOrder({
      symbol: 'BTC/USDT',
      type: 'market',
      side: 'buy',
      amount: '0.1',
      clientOrderId: cid(5),
    });
    await adapter.createOrder({
      symbol: 'BTC/USDT',
      type: 'market',
      side: 'sell',
      amount: '0.05',
      clientOrderId: cid(6),
    });
    const before = server.requests.length;

    const fills = await adapter.fetchOrderTrades({ symbol: 'BTC/USDT', id: first.id });

    expect(fills).toEqual([
      expect.objectContaining({
        orderId: first.id,
        side: 'buy',
        amount: '0.1',
        price: '50000',
        fee: { currency: 'USDT', cost: '13' },
      }),
    ]);
    const tradeId = server.state.trades[0]!.id;
    expect(server.requests.slice(before).map((r) => [r.path, r.params['txid']])).toEqual([
      ['/0/private/QueryOrders', first.id],
      ['/0/private/QueryTrades', tradeId],
    ]);
  });

  it('a resting limit fills at its price as maker once the market reaches it', async () => {
    server.state.setPrice('XBTUSDT', '50000');
    server.state.setBalance('XXBT', '0.5');
    const order = await adapter.createOrder({
      symbol: 'BTC/USDT',
      type: 'limit',
      side: 'sell',
      amount: '0.1',
      price: '52000',
      clientOrderId: cid(7),
    });
    expect(order.status).toBe('open');
    expect((await adapter.fetchBalance())['BTC']).toEqual({ free: '0.4', used: '0.1', total: '0.5' });

    server.state.setPrice('XBTUSDT', '52500');

    // 0.1 x 52 000 = 5 200 USDT, less the maker fee 0.16 % = 8.32 USDT
    expect(await adapter.fetchOrder({ symbol: 'BTC/USDT', clientOrderId: cid(7) })).toMatchObject({
      status: 'closed',
      filled: '0.1',
      average: '52000',
      fees: [{ currency: 'USDT', cost: '8.32' }],
    });
    expect((await adapter.fetchBalance())['USDT']).toEqual({ free: '15191.68', used: '0', total: '15191.68' });
  });

  it('cancels by client order id and by id, and lists open orders', async () => {
    const a = await adapter.createOrder({
      symbol: 'BTC/USDT',
      type: 'limit',
      side: 'buy',
      amount: '0.01',
      price: '60000',
      clientOrderId: cid(8),
    });
    const b = await adapter.createOrder({
      symbol: 'BTC/USDT',
      type: 'limit',
      side: 'buy',
      amount: '0.01',
      price: '61000',
      clientOrderId: cid(9),
    });
    expect((await adapter.fetchOpenOrders('BTC/USDT')).map((o) => o.clientOrderId).sort()).toEqual([cid(8), cid(9)]);
    expect((await adapter.fetchOpenOrders()).map((o) => o.clientOrderId).sort()).toEqual([cid(8), cid(9)]);

    const byClientId = await adapter.cancelOrder({ symbol: 'BTC/USDT', clientOrderId: cid(8) });
    expect(byClientId).toMatchObject({ id: a.id, clientOrderId: cid(8), status: 'canceled' });
    expect(calls(server, 'CancelOrder').at(-1)!.params).toMatchObject({ cl_ord_id: cid(8) });
    expect((await adapter.cancelOrder({ symbol: 'BTC/USDT', id: b.id })).status).toBe('canceled');
    expect(await adapter.fetchOpenOrders('BTC/USDT')).toEqual([]);
    expect((await adapter.fetchOrder({ symbol: 'BTC/USDT', id: a.id })).status).toBe('canceled');
    expect(kindOf(await caught(adapter.cancelOrder({ symbol: 'BTC/USDT', id: a.id })))).toBe('order_not_found');
    expect(kindOf(await caught(adapter.cancelOrder({ symbol: 'BTC/USDT', clientOrderId: cid(8) })))).toBe(
      'order_not_found',
    );
    expect(server.state.balance('USDT')).toEqual({ total: '10000', hold: '0', free: '10000' });
  });

  it('a resend with the client order id of an open order resolves to that order, never a second one', async () => {
    const order = {
      symbol: 'BTC/USDT',
      type: 'limit',
      side: 'buy',
      amount: '0.01',
      price: '60000',
      clientOrderId: cid(10),
    } as const;
    const first = await adapter.createOrder(order);

    // Kraken refuses the duplicate cl_ord_id; ccxt knows no class for that answer, so the adapter looks the id up
    const again = await adapter.createOrder(order);

    expect(again).toMatchObject({ id: first.id, clientOrderId: cid(10), status: 'open' });
    expect(server.state.orders.size).toBe(1);
    expect(calls(server, 'AddOrder')).toHaveLength(2);
  });

  it('never shares a nonce: 200 private calls in a row pass a server that wants each nonce above the last', async () => {
    await adapter.loadMarkets();
    for (let i = 0; i < 200; i++) await adapter.fetchBalance();

    const nonces = calls(server, 'BalanceEx').map((r) => BigInt(r.params['nonce']!));
    expect(nonces).toHaveLength(200);
    expect(nonces.every((n, i) => i === 0 || n > nonces[i - 1]!)).toBe(true);
  });

  describe('createOrder whose outcome is unknown', () => {
    it('a timeout after Kraken accepted the order resolves to that order: exactly one AddOrder', async () => {
      await adapter.close();
      adapter = adapterFor(server, { timeoutMs: 300 });
      server.injectFault({ method: 'POST', path: '/0/private/AddOrder', fault: { kind: 'hang' } });

      const order = await adapter.createOrder({
        symbol: 'BTC/USDT',
        type: 'limit',
        side: 'buy',
        amount: '0.01',
        price: '60000',
        clientOrderId: cid(11),
      });

      expect(order).toMatchObject({ clientOrderId: cid(11), status: 'open', amount: '0.01' });
      expect(server.state.orders.size).toBe(1);
      expect(calls(server, 'AddOrder')).toHaveLength(1);
      expect(calls(server, 'OpenOrders').map((r) => r.params['cl_ord_id'])).toEqual([cid(11)]);
    });

    it('a connection dropped after a market order filled resolves to the filled order, never a second one', async () => {
      server.state.setBalance('XXBT', '0.5');
      server.injectFault({ method: 'POST', path: '/0/private/AddOrder', fault: { kind: 'drop' } });

      const order = await adapter.createOrder({
        symbol: 'BTC/USDT',
        type: 'market',
        side: 'sell',
        amount: '0.001',
        referencePrice: '73000',
        clientOrderId: cid(12),
      });

      expect(order).toMatchObject({ clientOrderId: cid(12), status: 'closed', filled: '0.001' });
      expect(server.state.orders.size).toBe(1);
      expect(calls(server, 'AddOrder')).toHaveLength(1);
      expect(calls(server, 'ClosedOrders').map((r) => r.params['cl_ord_id'])).toEqual([cid(12)]);
    });

    it('a connection dropped before the order reached the book reports OrderNotPlacedError (safe to resend)', async () => {
      server.injectFault({ method: 'POST', path: '/0/private/AddOrder', fault: { kind: 'drop', beforeAction: true } });
      const request = {
        symbol: 'BTC/USDT',
        type: 'limit',
        side: 'buy',
        amount: '0.01',
        price: '60000',
        clientOrderId: cid(13),
      } as const;

      const error = await caught(adapter.createOrder(request));

      expect(error).toBeInstanceOf(OrderNotPlacedError);
      expect(error.retryable).toBe(true);
      expect(server.state.orders.size).toBe(0);
      expect((await adapter.createOrder(request)).clientOrderId).toBe(cid(13));
      expect(server.state.orders.size).toBe(1);
    });

    it.each<[string, KrakenFault]>([
      ['HTTP 500', { kind: 'status', status: 500, body: 'Internal Server Error' }],
      ['EAPI:Rate limit exceeded', { kind: 'kraken-error', error: 'EAPI:Rate limit exceeded' }],
      ['EService:Unavailable', { kind: 'kraken-error', error: 'EService:Unavailable' }],
    ])('%s on AddOrder (not performed): looked up, not found, OrderNotPlacedError', async (_name, fault) => {
      server.injectFault({ method: 'POST', path: '/0/private/AddOrder', fault });

      const error = await caught(
        adapter.createOrder({
          symbol: 'BTC/USDT',
          type: 'limit',
          side: 'buy',
          amount: '0.01',
          price: '60000',
          clientOrderId: cid(14),
        }),
      );

      expect(error).toBeInstanceOf(OrderNotPlacedError);
      expect(calls(server, 'AddOrder')).toHaveLength(1);
      expect(server.state.orders.size).toBe(0);
    });

    it('reports OrderOutcomeUnknownError (final, never resend) when the lookups fail too', async () => {
      server.injectFault({ method: 'POST', path: '/0/private/AddOrder', fault: { kind: 'drop' } });
      server.injectFault({
        method: 'POST',
        path: '/0/private/OpenOrders',
        times: 2,
        fault: { kind: 'status', status: 503 },
      });

      const error = await caught(
        adapter.createOrder({
          symbol: 'BTC/USDT',
          type: 'limit',
          side: 'buy',
          amount: '0.01',
          price: '60000',
          clientOrderId: cid(15),
        }),
      );

      expect(error).toBeInstanceOf(OrderOutcomeUnknownError);
      expect(error.retryable).toBe(false);
      expect((error as OrderOutcomeUnknownError).clientOrderId).toBe(cid(15));
      expect(calls(server, 'AddOrder')).toHaveLength(1);
      expect(calls(server, 'OpenOrders')).toHaveLength(2);
    });
  });

  describe('error mapping (Kraken answer -> our error kind)', () => {
    const table: Array<[string, string, KrakenFault]> = [
      [
        'EAPI:Rate limit exceeded (ccxt DDoSProtection)',
        'retryable',
        { kind: 'kraken-error', error: 'EAPI:Rate limit exceeded' },
      ],
      ['EOrder:Rate limit exceeded', 'retryable', { kind: 'kraken-error', error: 'EOrder:Rate limit exceeded' }],
      ['EGeneral:Too many requests', 'retryable', { kind: 'kraken-error', error: 'EGeneral:Too many requests' }],
      ['EService:Unavailable', 'retryable', { kind: 'kraken-error', error: 'EService:Unavailable' }],
      ['EService:Busy', 'retryable', { kind: 'kraken-error', error: 'EService:Busy' }],
      ['EGeneral:Internal error', 'retryable', { kind: 'kraken-error', error: 'EGeneral:Internal error' }],
      ['EAPI:Invalid nonce (InvalidNonce)', 'retryable', { kind: 'kraken-error', error: 'EAPI:Invalid nonce' }],
      ['HTTP 500', 'retryable', { kind: 'status', status: 500, body: 'Internal Server Error' }],
      ['HTTP 502', 'retryable', { kind: 'status', status: 502, body: 'Bad Gateway' }],
      ['HTTP 503', 'retryable', { kind: 'status', status: 503, body: 'Service Unavailable' }],
      ['HTTP 504 (RequestTimeout)', 'retryable', { kind: 'status', status: 504, body: 'Gateway Timeout' }],
      [
        'HTTP 520 (Cloudflare)',
        'retryable',
        { kind: 'status', status: 520, body: 'Web server is returning an unknown error' },
      ],
      ['EAPI:Invalid key', 'auth', { kind: 'kraken-error', error: 'EAPI:Invalid key' }],
      ['EGeneral:Permission denied', 'auth', { kind: 'kraken-error', error: 'EGeneral:Permission denied' }],
      ['ETrade:User Locked (AccountSuspended)', 'auth', { kind: 'kraken-error', error: 'ETrade:User Locked' }],
      ['EOrder:Insufficient funds', 'insufficient_funds', { kind: 'kraken-error', error: 'EOrder:Insufficient funds' }],
      [
        'EOrder:Order minimum not met',
        'invalid_order',
        { kind: 'kraken-error', error: 'EOrder:Order minimum not met' },
      ],
      [
        'EGeneral:Invalid arguments:volume',
        'invalid_order',
        { kind: 'kraken-error', error: 'EGeneral:Invalid arguments:volume' },
      ],
      ['EGeneral:Invalid arguments', 'invalid_order', { kind: 'kraken-error', error: 'EGeneral:Invalid arguments' }],
      [
        'EQuery:Invalid asset pair (BadSymbol)',
        'invalid_order',
        { kind: 'kraken-error', error: 'EQuery:Invalid asset pair' },
      ],
      // ccxt 4.5 maps only the "Invalid asset pair" text; the adapter checks the symbol against loadMarkets first
      [
        'EQuery:Unknown asset pair (not in ccxt: ExchangeError)',
        'unknown',
        { kind: 'kraken-error', error: 'EQuery:Unknown asset pair' },
      ],
      ['EOrder:Unknown order', 'invalid_order', { kind: 'kraken-error', error: 'EOrder:Unknown order' }],
      [
        'EOrder:Cost minimum not met (not in ccxt: ExchangeError)',
        'unknown',
        { kind: 'kraken-error', error: 'EOrder:Cost minimum not met' },
      ],
    ];

    it.each(table)('%s -> %s', async (_name, expected, fault) => {
      server.injectFault({ method: 'POST', path: '/0/private/BalanceEx', fault });

      const error = await caught(adapter.fetchBalance());

      expect(kindOf(error)).toBe(expected);
      expect(error).toBeInstanceOf(expected === 'retryable' ? ExchangeRetryableError : ExchangeFinalError);
    });

    it('real rejections by the server state map the same way (insufficient funds, order minimum)', async () => {
      const tooBig = await caught(
        adapter.createOrder({
          symbol: 'BTC/USDT',
          type: 'limit',
          side: 'buy',
          amount: '1',
          price: '60000',
          clientOrderId: cid(16),
        }),
      );
      expect(kindOf(tooBig)).toBe('insufficient_funds');
      expect(tooBig.message).toContain('EOrder:Insufficient funds');
      expect(server.state.orders.size).toBe(0);
    });

    it('a wrong secret is an auth error (Kraken: EAPI:Invalid key), and no credential reaches the message', async () => {
      await adapter.close();
      const wrongSecret = Buffer.from('not-the-loopback-secret').toString('base64');
      adapter = adapterFor(server, { secret: wrongSecret });

      const error = await caught(adapter.fetchBalance());

      expect(kindOf(error)).toBe('auth');
      expect(error.message).toContain('EAPI:Invalid key');
      expect(error.message).not.toContain(wrongSecret);
      expect(error.message).not.toContain(server.credentials.apiKey);
      expect(JSON.stringify(adapter)).not.toContain(wrongSecret);
    });
  });
});
