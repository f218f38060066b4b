import type { Exchange } from 'ccxt';
import { loadCcxt, toCcxtRealm } from '@trading/exchange';
import { steppedCandles, T0 } from './fixtures/stepped-candles.fixture';
import { LoopbackBinance, startLoopbackBinance } from './index';

// The real ccxt binance class, pointed at the loopback server.
function binanceClient(server: LoopbackBinance): Exchange {
  const ccxt = loadCcxt();
  return new ccxt.binance(toCcxtRealm({ ...server.ccxtOverrides, ...server.credentials, enableRateLimit: false }));
}

const HOUR = 3_600_000;

describe('loopback Binance through ccxt', () => {
  let server: LoopbackBinance;
  let client: Exchange;

  beforeEach(async () => {
    server = await startLoopbackBinance();
    client = binanceClient(server);
  });

  afterEach(async () => {
    await server.stop();
  });

  it('loads markets with exactly one call to exchangeInfo', async () => {
    const markets = await client.loadMarkets();

    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/v3/exchangeInfo']);
    expect(Object.keys(markets).sort()).toEqual(['BTC/USDT', 'LTC/USDT', 'SOL/USDT']);
    const btc = markets['BTC/USDT']!;
    expect(btc.precision).toEqual({ amount: 0.00001, price: 0.01, base: 1e-8, quote: 1e-8 });
    expect(btc.limits.cost?.min).toBe(5);
    expect(btc.limits.amount?.min).toBe(0.00001);
  });

  it('restricts exchangeInfo to the symbols asked for, always keeping BTCUSDT', async () => {
    await server.stop();
    server = await startLoopbackBinance({ symbols: ['LTCUSDT'] });
    client = binanceClient(server);

    expect(Object.keys(await client.loadMarkets()).sort()).toEqual(['BTC/USDT', 'LTC/USDT']);
  });

  it('serves the recorded klines by default', async () => {
    const candles = await client.fetchOHLCV('BTC/USDT', '1h', 1706628191000, 3);

    expect(candles).toEqual([
      [1706630400000, 43519.34, 43936, 43171, 43488.71, 20.55495],
      [1706634000000, 43488.71, 43832.08, 43084, 43374.8, 21.80865],
      [1706637600000, 43374.81, 44048, 43062, 43361.11, 23.66547],
    ]);
  });

  it('pages klines with a since cursor, honouring startTime and limit', async () => {
    server.state.setKlines('BTCUSDT', '1h', steppedCandles(HOUR, 25));
    const all: number[] = [];
    let since = T0;
    for (;;) {
      const page = await client.fetchOHLCV('BTC/USDT', '1h', since, 10);
      if (page.length === 0) break;
      all.push(...page.map((c) => c[0] as number));
      since = (page[page.length - 1]![0] as number) + HOUR;
    }

    expect(all).toEqual(Array.from({ length: 25 }, (_, i) => T0 + i * HOUR));
    const klineCalls = server.requests.filter((r) => r.path === '/api/v3/klines');
    expect(klineCalls.map((r) => [r.params['startTime'], r.params['limit'], r.params['interval']])).toEqual([
      [String(T0), '10', '1h'],
      [String(T0 + 10 * HOUR), '10', '1h'],
      [String(T0 + 20 * HOUR), '10', '1h'],
      [String(T0 + 25 * HOUR), '10', '1h'],
    ]);
  });

  it('answers the 24h ticker from the recorded one, at the current price', async () => {
    const recordedTicker = await client.fetchTicker('BTC/USDT');
    expect(recordedTicker.last).toBe(73369.84);
    expect(recordedTicker.high).toBe(73650.25);

    server.state.setPrice('BTCUSDT', '70000.5');
    expect((await client.fetchTicker('BTC/USDT')).last).toBe(70000.5);
  });

  it('returns balances, signed', async () => {
    const balance = await client.fetchBalance();

    expect(balance['USDT']).toEqual({ free: 10000, used: 0, total: 10000 });
    expect(balance['LTC']).toEqual({ free: 0.919741, used: 0, total: 0.919741 });
    const account = server.requests.find((r) => r.path === '/api/v3/account')!;
    expect(account.params['signature']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a bad signature with -1022 and an unknown key with -2015', async () => {
    const ccxt = loadCcxt();
    const wrongSecret = new ccxt.binance(
      toCcxtRealm({
        ...server.ccxtOverrides,
        apiKey: server.credentials.apiKey,
        secret: 'nope',
        enableRateLimit: false,
      }),
    );
    await expect(wrongSecret.fetchBalance()).rejects.toThrow(/-1022/);
    const wrongKey = new ccxt.binance(
      toCcxtRealm({
        ...server.ccxtOverrides,
        apiKey: 'someone-else',
        secret: server.credentials.secret,
        enableRateLimit: false,
      }),
    );
    await expect(wrongKey.fetchBalance()).rejects.toThrow(/-2015/);
  });

  it('creates, fetches (by id and by client id) and cancels a resting limit order', async () => {
    const created = await client.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 60000, { clientOrderId: 'bot1-0001' });
    expect(created).toMatchObject({
      clientOrderId: 'bot1-0001',
      status: 'open',
      amount: 0.01,
      price: 60000,
      filled: 0,
    });
    const post = server.requests.find((r) => r.method === 'POST')!;
    expect(post.params).toMatchObject({
      newClientOrderId: 'bot1-0001',
      quantity: '0.01',
      price: '60000',
      type: 'LIMIT',
      side: 'BUY',
    });
    expect(server.state.balance('USDT')).toEqual({ free: '9400', locked: '600' });

    expect((await client.fetchOrder(created.id!, 'BTC/USDT')).clientOrderId).toBe('bot1-0001');
    const byClientId = await client.fetchOrder('', 'BTC/USDT', { origClientOrderId: 'bot1-0001' });
    expect(byClientId.id).toBe(created.id);
    expect((await client.fetchOpenOrders('BTC/USDT')).map((o) => o.id)).toEqual([created.id]);

    const canceled = await client.cancelOrder('', 'BTC/USDT', { origClientOrderId: 'bot1-0001' });
    expect(canceled.status).toBe('canceled');
    expect(server.state.balance('USDT')).toEqual({ free: '10000', locked: '0' });
    expect(await client.fetchOpenOrders('BTC/USDT')).toEqual([]);
    await expect(client.fetchOrder('999999', 'BTC/USDT')).rejects.toThrow(/-2013/);
  });

  it('refuses a second open order with the same client order id (-2010 Duplicate order sent.)', async () => {
    await client.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 60000, { clientOrderId: 'dup-1' });

    await expect(
      client.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 60000, { clientOrderId: 'dup-1' }),
    ).rejects.toThrow(/Duplicate order sent/);
    expect(server.state.orders.size).toBe(1);
  });

  it('fills a market buy at the current price with the commission in base, and lists the trade', async () => {
    server.state.setPrice('BTCUSDT', '50000');
    const order = await client.createOrder('BTC/USDT', 'market', 'buy', 0.1, undefined, { clientOrderId: 'mkt-1' });

    expect(order).toMatchObject({ status: 'closed', filled: 0.1, cost: 5000, average: 50000 });
    // 0.1 BTC bought, commission 0.1 % of 0.1 = 0.0001 BTC; 5000 USDT spent.
    expect(server.state.balance('BTC')).toEqual({ free: '0.0999', locked: '0' });
    expect(server.state.balance('USDT')).toEqual({ free: '5000', locked: '0' });
    const trades = await client.fetchMyTrades('BTC/USDT');
    expect(trades).toHaveLength(1);
    expect(trades[0]).toMatchObject({ order: order.id, price: 50000, amount: 0.1, cost: 5000, takerOrMaker: 'taker' });
    expect(trades[0]!.fee).toEqual({ cost: 0.0001, currency: 'BTC' });
  });

  it('fills a resting sell as maker when the price crosses it', async () => {
    server.state.setBalance('BTC', '1');
    const order = await client.createOrder('BTC/USDT', 'limit', 'sell', 0.5, 80000, { clientOrderId: 'tp-1' });
    expect(order.status).toBe('open');

    server.state.setPrice('BTCUSDT', '80100');

    const filled = await client.fetchOrder(order.id!, 'BTC/USDT');
    expect(filled).toMatchObject({ status: 'closed', filled: 0.5, cost: 40000 });
    // 40 000 USDT received minus 0.1 % maker commission (40 USDT).
    expect(server.state.balance('USDT')).toEqual({ free: '49960', locked: '0' });
    expect(server.state.balance('BTC')).toEqual({ free: '0.5', locked: '0' });
  });

  it('refuses an order the balance cannot cover (-2010 insufficient balance)', async () => {
    await expect(client.createOrder('BTC/USDT', 'limit', 'buy', 1, 60000, { clientOrderId: 'big-1' })).rejects.toThrow(
      /insufficient balance/,
    );
    expect(server.state.orders.size).toBe(0);
  });

  it('answers /api/v3/time and /api/v3/ping', async () => {
    const before = Date.now();
    const time = await client.fetchTime();
    expect(time).toBeGreaterThanOrEqual(before);
    expect(await client.publicGetPing()).toEqual({});
  });
});
