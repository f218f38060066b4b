import {
  CcxtExchangeAdapter,
  ExchangeError,
  ExchangeFinalError,
  ExchangeRetryableError,
  OrderNotPlacedError,
  OrderOutcomeUnknownError,
} from '@trading/exchange';
import { FaultRule, LoopbackBinance, startLoopbackBinance } from './index';

function adapterFor(server: LoopbackBinance, overrides: { timeoutMs?: number } = {}): CcxtExchangeAdapter {
  return new CcxtExchangeAdapter({
    exchangeId: 'binance',
    ...server.credentials,
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
const posts = (server: LoopbackBinance) =>
  server.requests.filter((r) => r.method === 'POST' && r.path === '/api/v3/order');

describe('CcxtExchangeAdapter against the loopback Binance', () => {
  let server: LoopbackBinance;
  let adapter: CcxtExchangeAdapter;

  beforeEach(async () => {
    server = await startLoopbackBinance();
    adapter = adapterFor(server);
  });

  afterEach(async () => {
    await adapter.close();
    await server.stop();
  });

  it('maps markets to tick, step, limits and fees as decimal strings', async () => {
    const markets = await adapter.loadMarkets();

    expect(markets['BTC/USDT']).toEqual({
      symbol: 'BTC/USDT',
      base: 'BTC',
      quote: 'USDT',
      priceTick: '0.01',
      amountStep: '0.00001',
      minAmount: '0.00001',
      maxAmount: '9000',
      minNotional: '5',
      makerFee: '0.001',
      takerFee: '0.001',
    });
    await adapter.loadMarkets();
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/v3/exchangeInfo']);
  });

  it('fetches candles, ticker and balances as decimal strings', async () => {
    expect(await adapter.fetchOHLCV('BTC/USDT', '1h', 1706628191000, 1)).toEqual([
      {
        timestamp: 1706630400000,
        open: '43519.34',
        high: '43936',
        low: '43171',
        close: '43488.71',
        volume: '20.55495',
      },
    ]);
    expect(await adapter.fetchTicker('BTC/USDT')).toMatchObject({ symbol: 'BTC/USDT', last: '73369.84' });
    const balances = await adapter.fetchBalance();
    expect(balances['USDT']).toEqual({ free: '10000', used: '0', total: '10000' });
    expect(balances['ETH']).toEqual({ free: '0.02229833', used: '0', total: '0.02229833' });
  });

  it('rounds amount and price to the pair precision and sends our client order id', async () => {
    const order = await adapter.createOrder({
      symbol: 'BTC/USDT',
      type: 'limit',
      side: 'buy',
      amount: '0.0123456789',
      price: '60000.123',
      clientOrderId: 'bot7-42',
    });

    expect(posts(server)[0]!.params).toMatchObject({
      quantity: '0.01234',
      price: '60000.12',
      newClientOrderId: 'bot7-42',
    });
    expect(order).toMatchObject({
      clientOrderId: 'bot7-42',
      status: 'open',
      type: 'limit',
      side: 'buy',
      amount: '0.01234',
      price: '60000.12',
      filled: '0',
      remaining: '0.01234',
    });
  });

  it('refuses an order under the minimum notional or amount without sending it', async () => {
    await adapter.loadMarkets();
    const tooSmall = await caught(
      adapter.createOrder({
        symbol: 'BTC/USDT',
        type: 'limit',
        side: 'buy',
        amount: '0.0001',
        price: '40000',
        clientOrderId: 'n-1',
      }),
    );
    // 0.0001 * 40 000 = 4 USDT < 5 USDT minimum notional
    expect(tooSmall).toBeInstanceOf(ExchangeFinalError);
    expect(kindOf(tooSmall)).toBe('invalid_order');
    expect(tooSmall.message).toMatch(/notional 4 below minimum 5/);
    const belowStep = await caught(
      adapter.createOrder({
        symbol: 'BTC/USDT',
        type: 'market',
        side: 'buy',
        amount: '0.000001',
        referencePrice: '70000',
        clientOrderId: 'n-2',
      }),
    );
    expect(kindOf(belowStep)).toBe('invalid_order');
    expect(posts(server)).toHaveLength(0);
  });

  it('creates a market order, fetches it by id and by client order id, and lists its trade', async () => {
    server.state.setPrice('BTCUSDT', '50000');
    const created = await adapter.createOrder({
      symbol: 'BTC/USDT',
      type: 'market',
      side: 'buy',
      amount: '0.1',
      clientOrderId: 'm-1',
    });

    expect(created).toMatchObject({
      status: 'closed',
      filled: '0.1',
      cost: '5000',
      average: '50000',
      price: undefined,
    });
    expect(created.fees).toEqual([{ currency: 'BTC', cost: '0.0001' }]);
    expect((await adapter.fetchOrder({ symbol: 'BTC/USDT', id: created.id })).clientOrderId).toBe('m-1');
    expect((await adapter.fetchOrder({ symbol: 'BTC/USDT', clientOrderId: 'm-1' })).id).toBe(created.id);
    expect(server.requests.at(-1)!.params['origClientOrderId']).toBe('m-1');
    const trades = await adapter.fetchMyTrades('BTC/USDT');
    expect(trades).toEqual([
      expect.objectContaining({
        orderId: created.id,
        side: 'buy',
        amount: '0.1',
        price: '50000',
        cost: '5000',
        takerOrMaker: 'taker',
      }),
    ]);
    expect(trades[0]!.fee).toEqual({ currency: 'BTC', cost: '0.0001' });
  });

  it('fetches the fills of one order only (fetchOrderTrades)', async () => {
    server.state.setPrice('BTCUSDT', '50000');
    const first = await adapter.createOrder({
      symbol: 'BTC/USDT',
      type: 'market',
      side: 'buy',
      amount: '0.1',
      clientOrderId: 't-1',
    });
    await adapter.createOrder({
      symbol: 'BTC/USDT',
      type: 'market',
      side: 'sell',
      amount: '0.05',
      clientOrderId: 't-2',
    });

    const fills = await adapter.fetchOrderTrades({ symbol: 'BTC/USDT', id: first.id });

    expect(fills).toEqual([
      expect.objectContaining({
        orderId: first.id,
        side: 'buy',
        amount: '0.1',
        price: '50000',
        fee: { currency: 'BTC', cost: '0.0001' },
      }),
    ]);
    expect(server.requests.at(-1)).toMatchObject({
      method: 'GET',
      path: '/api/v3/myTrades',
      params: { orderId: first.id },
    });
  });

  it('a testnet (sandbox) client still goes where explicit URLs point it', async () => {
    const sandboxed = new CcxtExchangeAdapter({
      exchangeId: 'binance',
      ...server.credentials,
      ...server.ccxtOverrides,
      sandbox: true,
      enableRateLimit: false,
      timeoutMs: 2_000,
    });
    try {
      expect((await sandboxed.fetchBalance())['USDT']).toEqual({ free: '10000', used: '0', total: '10000' });
      expect(server.requests.map((r) => r.path)).toEqual(['/api/v3/exchangeInfo', '/api/v3/account']);
    } finally {
      await sandboxed.close();
    }
  });

  it('cancels by client order id and by id, and lists open orders', async () => {
    const a = await adapter.createOrder({
      symbol: 'BTC/USDT',
      type: 'limit',
      side: 'buy',
      amount: '0.01',
      price: '60000',
      clientOrderId: 'c-1',
    });
    const b = await adapter.createOrder({
      symbol: 'BTC/USDT',
      type: 'limit',
      side: 'buy',
      amount: '0.01',
      price: '61000',
      clientOrderId: 'c-2',
    });
    expect((await adapter.fetchOpenOrders('BTC/USDT')).map((o) => o.clientOrderId)).toEqual(['c-1', 'c-2']);
    expect((await adapter.fetchOpenOrders()).map((o) => o.clientOrderId)).toEqual(['c-1', 'c-2']);

    expect((await adapter.cancelOrder({ symbol: 'BTC/USDT', clientOrderId: 'c-1' })).status).toBe('canceled');
    expect((await adapter.cancelOrder({ symbol: 'BTC/USDT', id: b.id })).status).toBe('canceled');
    expect(await adapter.fetchOpenOrders('BTC/USDT')).toEqual([]);
    expect((await adapter.fetchOrder({ symbol: 'BTC/USDT', id: a.id })).status).toBe('canceled');
    expect(kindOf(await caught(adapter.cancelOrder({ symbol: 'BTC/USDT', id: a.id })))).toBe('order_not_found');
  });

  it('refuses a duplicate client order id as a final invalid_order', async () => {
    const order = {
      symbol: 'BTC/USDT',
      type: 'limit',
      side: 'buy',
      amount: '0.01',
      price: '60000',
      clientOrderId: 'd-1',
    } as const;
    await adapter.createOrder(order);

    const error = await caught(adapter.createOrder(order));

    expect(kindOf(error)).toBe('invalid_order');
    expect(error.message).toMatch(/Duplicate order sent/);
    expect(server.state.orders.size).toBe(1);
  });

  describe('createOrder whose outcome is unknown', () => {
    it('a timeout after the server accepted the order resolves to that order: exactly one order exists', async () => {
      await adapter.close();
      adapter = adapterFor(server, { timeoutMs: 300 });
      server.injectFault({ method: 'POST', path: '/api/v3/order', fault: { kind: 'hang' } });

      const order = await adapter.createOrder({
        symbol: 'BTC/USDT',
        type: 'limit',
        side: 'buy',
        amount: '0.01',
        price: '60000',
        clientOrderId: 'to-1',
      });

      expect(order).toMatchObject({ clientOrderId: 'to-1', status: 'open', amount: '0.01' });
      expect(server.state.orders.size).toBe(1);
      expect(posts(server)).toHaveLength(1);
      const lookup = server.requests.filter((r) => r.method === 'GET' && r.path === '/api/v3/order');
      expect(lookup.map((r) => r.params['origClientOrderId'])).toEqual(['to-1']);
    });

    it('a connection dropped after a market order filled resolves to the filled order, never a second one', async () => {
      server.state.setBalance('BTC', '0.5');
      server.injectFault({ method: 'POST', path: '/api/v3/order', fault: { kind: 'drop' } });

      const order = await adapter.createOrder({
        symbol: 'BTC/USDT',
        type: 'market',
        side: 'sell',
        amount: '0.001',
        referencePrice: '73000',
        clientOrderId: 'dr-1',
      });

      expect(order).toMatchObject({ clientOrderId: 'dr-1', status: 'closed', filled: '0.001' });
      expect(server.state.orders.size).toBe(1);
      expect(posts(server)).toHaveLength(1);
    });

    it('a connection dropped before the order reached the book reports OrderNotPlacedError (safe to resend)', async () => {
      server.injectFault({ method: 'POST', path: '/api/v3/order', fault: { kind: 'drop', beforeAction: true } });

      const error = await caught(
        adapter.createOrder({
          symbol: 'BTC/USDT',
          type: 'limit',
          side: 'buy',
          amount: '0.01',
          price: '60000',
          clientOrderId: 'np-1',
        }),
      );

      expect(error).toBeInstanceOf(OrderNotPlacedError);
      expect(error.retryable).toBe(true);
      expect(server.state.orders.size).toBe(0);
      const resent = await adapter.createOrder({
        symbol: 'BTC/USDT',
        type: 'limit',
        side: 'buy',
        amount: '0.01',
        price: '60000',
        clientOrderId: 'np-1',
      });
      expect(resent.clientOrderId).toBe('np-1');
      expect(server.state.orders.size).toBe(1);
    });

    it('reports OrderOutcomeUnknownError (final, never resend) when the lookups fail too', async () => {
      server.injectFault({ method: 'POST', path: '/api/v3/order', fault: { kind: 'drop' } });
      server.injectFault({ method: 'GET', path: '/api/v3/order', times: 2, fault: { kind: 'status', status: 503 } });

      const error = await caught(
        adapter.createOrder({
          symbol: 'BTC/USDT',
          type: 'limit',
          side: 'buy',
          amount: '0.01',
          price: '60000',
          clientOrderId: 'un-1',
        }),
      );

      expect(error).toBeInstanceOf(OrderOutcomeUnknownError);
      expect(error.retryable).toBe(false);
      expect((error as OrderOutcomeUnknownError).clientOrderId).toBe('un-1');
      expect(posts(server)).toHaveLength(1);
      expect(server.requests.filter((r) => r.method === 'GET' && r.path === '/api/v3/order')).toHaveLength(2);
    });
  });

  describe('error mapping (Binance answer -> our error kind)', () => {
    const table: Array<[string, string, FaultRule['fault']]> = [
      [
        'HTTP 429 -1003 (ccxt DDoSProtection)',
        'retryable',
        { kind: 'binance-error', status: 429, code: -1003, msg: 'Too much request weight used.' },
      ],
      [
        'HTTP 418 IP ban (DDoSProtection)',
        'retryable',
        { kind: 'binance-error', status: 418, code: -1003, msg: 'Way too much request weight used; IP banned.' },
      ],
      ['HTTP 500', 'retryable', { kind: 'status', status: 500, body: 'Internal Server Error' }],
      ['HTTP 502', 'retryable', { kind: 'status', status: 502, body: 'Bad Gateway' }],
      ['HTTP 503', 'retryable', { kind: 'status', status: 503, body: 'Service Unavailable' }],
      ['HTTP 504 (RequestTimeout)', 'retryable', { kind: 'status', status: 504, body: 'Gateway Timeout' }],
      [
        '-1007 timeout waiting for backend',
        'retryable',
        { kind: 'binance-error', code: -1007, msg: 'Timeout waiting for response from backend server.' },
      ],
      [
        '-1021 timestamp outside recvWindow (InvalidNonce)',
        'retryable',
        { kind: 'binance-error', code: -1021, msg: 'Timestamp for this request is outside of the recvWindow.' },
      ],
      [
        '-1015 too many new orders',
        'rate_limited',
        { kind: 'binance-error', code: -1015, msg: 'Too many new orders.' },
      ],
      [
        '-2010 insufficient balance',
        'insufficient_funds',
        { kind: 'binance-error', code: -2010, msg: 'Account has insufficient balance for requested action.' },
      ],
      ['-2010 duplicate order', 'invalid_order', { kind: 'binance-error', code: -2010, msg: 'Duplicate order sent.' }],
      [
        '-1013 filter failure',
        'invalid_order',
        { kind: 'binance-error', code: -1013, msg: 'Filter failure: LOT_SIZE' },
      ],
      ['-1121 invalid symbol', 'invalid_order', { kind: 'binance-error', code: -1121, msg: 'Invalid symbol.' }],
      [
        '-1100 illegal characters',
        'invalid_order',
        { kind: 'binance-error', code: -1100, msg: "Illegal characters found in parameter 'quantity'." },
      ],
      [
        '-2013 order does not exist',
        'order_not_found',
        { kind: 'binance-error', code: -2013, msg: 'Order does not exist.' },
      ],
      [
        '-2011 unknown order sent',
        'order_not_found',
        { kind: 'binance-error', code: -2011, msg: 'Unknown order sent.' },
      ],
      [
        '-1022 invalid signature',
        'auth',
        { kind: 'binance-error', code: -1022, msg: 'Signature for this request is not valid.' },
      ],
      [
        'HTTP 401 -2015 invalid API key',
        'auth',
        { kind: 'binance-error', status: 401, code: -2015, msg: 'Invalid API-key, IP, or permissions for action.' },
      ],
      [
        '-2014 API key format',
        'auth',
        { kind: 'binance-error', status: 401, code: -2014, msg: 'API-key format invalid.' },
      ],
      [
        '-1000 unknown error',
        'unknown',
        { kind: 'binance-error', code: -1000, msg: 'An unknown error occured while processing the request.' },
      ],
    ];

    it.each(table)('%s -> %s', async (_name, expected, fault) => {
      server.injectFault({ method: 'GET', path: '/api/v3/account', fault });

      const error = await caught(adapter.fetchBalance());

      expect(kindOf(error)).toBe(expected);
      expect(error).toBeInstanceOf(expected === 'retryable' ? ExchangeRetryableError : ExchangeFinalError);
    });

    it('a real rejection by the server state maps the same way (insufficient balance on create)', async () => {
      const error = await caught(
        adapter.createOrder({
          symbol: 'BTC/USDT',
          type: 'limit',
          side: 'buy',
          amount: '1',
          price: '60000',
          clientOrderId: 'big',
        }),
      );
      expect(kindOf(error)).toBe('insufficient_funds');
    });

    it('never puts the API key or secret in an error message', async () => {
      const secret = server.credentials.secret;
      server.injectFault({
        method: 'GET',
        path: '/api/v3/account',
        fault: {
          kind: 'binance-error',
          code: -1022,
          msg: `bad signature for key ${server.credentials.apiKey} and ${secret}`,
        },
      });

      const error = await caught(adapter.fetchBalance());

      expect(error.message).toContain('***');
      expect(error.message).not.toContain(server.credentials.apiKey);
      expect(error.message).not.toContain(secret);
      expect(JSON.stringify(adapter)).not.toContain(secret);
    });
  });
});
