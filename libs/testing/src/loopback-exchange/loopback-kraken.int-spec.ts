import type { Exchange } from 'ccxt';
import { createHash, createHmac } from 'node:crypto';
import { loadCcxt, toCcxtRealm } from '@trading/exchange';
import { steppedCandles, T0 } from './fixtures/stepped-candles.fixture';
import { LoopbackKraken, startLoopbackKraken } from './index';

// The real ccxt kraken class, pointed at the loopback server.
function krakenClient(server: LoopbackKraken, credentials = server.credentials): Exchange {
  const ccxt = loadCcxt();
  return new ccxt.kraken(toCcxtRealm({ ...server.ccxtOverrides, ...credentials, enableRateLimit: false }));
}

/** A private call signed by hand, the way Kraken's documentation shows it. */
async function signedPost(
  server: LoopbackKraken,
  method: string,
  fields: Record<string, string>,
  sign: { secret?: string; apiKey?: string } = {},
): Promise<{ error: string[]; result?: unknown }> {
  const path = `/0/private/${method}`;
  const body = new URLSearchParams(fields).toString();
  const message = Buffer.concat([
    Buffer.from(path),
    createHash('sha256')
      .update(fields['nonce'] + body)
      .digest(),
  ]);
  const signature = createHmac('sha512', Buffer.from(sign.secret ?? server.credentials.secret, 'base64'))
    .update(message)
    .digest('base64');
  const response = await fetch(server.url + path, {
    method: 'POST',
    headers: {
      'API-Key': sign.apiKey ?? server.credentials.apiKey,
      'API-Sign': signature,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body,
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { error: string[]; result?: unknown };
}

const MINUTE = 60_000;

async function caughtName(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as Error).constructor.name;
  }
  throw new Error('expected a rejection');
}

describe('loopback Kraken through ccxt', () => {
  let server: LoopbackKraken;
  let client: Exchange;

  beforeEach(async () => {
    server = await startLoopbackKraken({ balances: { USDT: '10000', ZUSD: '10000', XLTC: '2' } });
    client = krakenClient(server);
  });

  afterEach(async () => {
    await server.stop();
  });

  it('loads markets from Assets and AssetPairs with the published precision, minimums and fees', async () => {
    const markets = await client.loadMarkets();

    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /0/public/Assets',
      'GET /0/public/AssetPairs',
    ]);
    expect(Object.keys(markets).sort()).toEqual(['BTC/USD', 'BTC/USDT', 'LTC/USDT']);
    const btc = markets['BTC/USDT']!;
    expect(btc).toMatchObject({ id: 'XBTUSDT', maker: 0.0016, taker: 0.0026, info: { base: 'XXBT', quote: 'USDT' } });
    expect(btc.precision).toEqual({ amount: 1e-8, price: 0.1 });
    expect(btc.limits.amount?.min).toBe(0.0001);
    expect(btc.limits.cost?.min).toBe(0.5);
    expect(markets['BTC/USD']!.id).toBe('XXBTZUSD');
  });

  it('serves the recorded ticker and candles, parsed by ccxt exactly as in its recorded test', async () => {
    const ticker = await client.fetchTicker('BTC/USDT');
    expect(ticker).toMatchObject({ last: 73380.6, high: 73580, low: 68666, open: 71450.7, baseVolume: 598.03698452 });

    const candles = await client.fetchOHLCV('BTC/USDT', '1h', 1706628191000, 3);

    expect(candles).toEqual([
      [1706630400000, 43366.3, 43529.2, 43234.2, 43485, 12.51327406],
      [1706634000000, 43497.5, 43594.6, 43316.4, 43409.5, 5.03074129],
      [1706637600000, 43398.3, 43500.5, 42983.1, 43386.6, 81.88339686],
    ]);
    // ccxt asks one interval before `since`: Kraken answers the candles after it
    expect(server.requests.at(-1)!.params).toEqual({ pair: 'XBTUSDT', interval: '60', since: '1706624591' });
  });

  it('OHLC serves only the newest 720 entries, and always the newest one, whatever since says', async () => {
    server.state.setCandles('XBTUSDT', 1, steppedCandles(MINUTE, 800));

    const fromStart = await client.fetchOHLCV('BTC/USDT', '1m', T0);
    expect(fromStart).toHaveLength(720);
    expect(fromStart[0]![0]).toBe(T0 + 80 * MINUTE);

    const raw = (await (
      await fetch(`${server.url}/0/public/OHLC?pair=XBTUSDT&interval=1&since=${(T0 + 900 * MINUTE) / 1000}`)
    ).json()) as {
      result: Record<string, unknown[]> & { last: number };
    };
    expect(raw.result['XBTUSDT']!.map((row) => (row as number[])[0])).toEqual([(T0 + 799 * MINUTE) / 1000]);
    expect(raw.result.last).toBe((T0 + 798 * MINUTE) / 1000);
  });

  it('rejects a wrong signature, a wrong key and a reused nonce the way Kraken does', async () => {
    const nonce = String(Date.now());
    expect(await signedPost(server, 'Balance', { nonce })).toMatchObject({ error: [] });
    expect(await signedPost(server, 'Balance', { nonce })).toEqual({ error: ['EAPI:Invalid nonce'] });
    expect(
      await signedPost(
        server,
        'Balance',
        { nonce: String(Number(nonce) + 1) },
        { secret: Buffer.from('wrong').toString('base64') },
      ),
    ).toEqual({ error: ['EAPI:Invalid key'] });
    expect(
      await signedPost(server, 'Balance', { nonce: String(Number(nonce) + 2) }, { apiKey: 'someone-else' }),
    ).toEqual({
      error: ['EAPI:Invalid key'],
    });
    // a body changed after signing
    const response = await fetch(`${server.url}/0/private/Balance`, {
      method: 'POST',
      headers: {
        'API-Key': server.credentials.apiKey,
        'API-Sign': 'AAAA',
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: `nonce=${Number(nonce) + 3}`,
    });
    expect(await response.json()).toEqual({ error: ['EAPI:Invalid key'] });

    const wrongSecret = krakenClient(server, {
      ...server.credentials,
      secret: Buffer.from('not-the-secret').toString('base64'),
    });
    expect(await caughtName(wrongSecret.fetchBalance())).toBe('AuthenticationError');
  });

  it('a market buy fills at the current price; balances move by cost plus the 0.26 % taker fee in quote', async () => {
    server.state.setPrice('XBTUSDT', '50000');

    const created = await client.createOrder('BTC/USDT', 'market', 'buy', 0.1, undefined, { clientOrderId: 'mkt-1' });

    expect(server.requests.at(-1)!.params).toMatchObject({
      pair: 'XBTUSDT',
      type: 'buy',
      ordertype: 'market',
      volume: '0.1',
      cl_ord_id: 'mkt-1',
    });
    expect(created.id).toMatch(/^O[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{6}$/);
    // 0.1 x 50 000 = 5 000 USDT; fee 5 000 x 0.0026 = 13 USDT
    expect(server.state.balance('USDT')).toEqual({ total: '4987', hold: '0', free: '4987' });
    expect(server.state.balance('XXBT')).toEqual({ total: '0.1', hold: '0', free: '0.1' });

    const fetched = await client.fetchOrder(created.id as string);
    expect(fetched).toMatchObject({
      status: 'closed',
      clientOrderId: 'mkt-1',
      filled: 0.1,
      average: 50000,
      cost: 5000,
    });
    // ccxt's kraken class leaves the order fee as Kraken's string (its recorded test shows the same)
    expect(fetched.fee).toMatchObject({ cost: '13.00000', currency: 'USDT' });
    const balance = await client.fetchBalance();
    expect(balance['USDT']).toMatchObject({ total: 4987, used: 0, free: 4987 });
    expect(balance['BTC']).toMatchObject({ total: 0.1, free: 0.1 });
  });

  it('rounds the fee half up to cost_decimals, reproducing the recorded LTC/USDT market buy', async () => {
    server.state.setPrice('LTCUSDT', '71.05741');

    const created = await client.createOrder('LTC/USDT', 'market', 'buy', 0.1);
    const fetched = await client.fetchOrder(created.id as string);

    // recorded: cost 7.105741, fee 0.018475 (7.105741 x 0.0026 = 0.0184749266)
    expect(fetched.info).toMatchObject({
      cost: '7.105741',
      fee: '0.018475',
      price: '71.05741',
      vol_exec: '0.10000000',
    });
    expect(server.state.balance('USDT').total).toBe('9992.875784'); // 10000 - 7.105741 - 0.018475
  });

  it('a limit buy rests holding cost + taker fee, then fills at its price as maker when the price reaches it', async () => {
    server.state.setPrice('XBTUSDT', '50000');
    const order = await client.createOrder('BTC/USDT', 'limit', 'buy', 0.1, 45000, { clientOrderId: 'lim-1' });

    // held: 0.1 x 45 000 = 4 500, plus 4 500 x 0.0026 = 11.7
    expect(server.state.balance('USDT')).toEqual({ total: '10000', hold: '4511.7', free: '5488.3' });
    const open = await client.fetchOpenOrders('BTC/USDT', undefined, undefined, { clientOrderId: 'lim-1' });
    expect(open.map((o) => [o.id, o.clientOrderId, o.price, o.status])).toEqual([[order.id, 'lim-1', 45000, 'open']]);
    expect(server.requests.at(-1)!.params['cl_ord_id']).toBe('lim-1');

    server.state.setPrice('XBTUSDT', '44000');

    // paid 4 500 + maker fee 4 500 x 0.0016 = 7.2
    expect(server.state.balance('USDT')).toEqual({ total: '5492.8', hold: '0', free: '5492.8' });
    const trades = await client.fetchMyTrades('BTC/USDT');
    expect(
      trades.map((t) => [t.order, t.side, t.price, t.amount, t.takerOrMaker, t.fee?.cost, t.fee?.currency]),
    ).toEqual([[order.id, 'buy', 45000, 0.1, 'maker', 7.2, 'USDT']]);
    const closed = await client.fetchClosedOrders('BTC/USDT', undefined, undefined, { clientOrderId: 'lim-1' });
    expect(closed.map((o) => o.status)).toEqual(['closed']);
  });

  it('cancels by cl_ord_id and by txid; a second cancel is an unknown order', async () => {
    const a = await client.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 40000, { clientOrderId: 'c-1' });
    const b = await client.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 41000, { clientOrderId: 'c-2' });

    await client.cancelOrder('', 'BTC/USDT', { clientOrderId: 'c-1' });
    expect(server.requests.at(-1)!.params).toMatchObject({ cl_ord_id: 'c-1' });
    expect(server.requests.at(-1)!.params['txid']).toBeUndefined();
    await client.cancelOrder(b.id as string, 'BTC/USDT');

    expect(server.state.findOrder(a.id as string)).toMatchObject({ status: 'canceled', reason: 'User requested' });
    expect(server.state.balance('USDT')).toEqual({ total: '10000', hold: '0', free: '10000' });
    expect(await caughtName(client.cancelOrder(b.id as string, 'BTC/USDT'))).toBe('OrderNotFound');
  });

  it('refuses what Kraken refuses: malformed or duplicate cl_ord_id, minimums, precision, funds', async () => {
    const add = (fields: Record<string, string>) =>
      signedPost(server, 'AddOrder', {
        nonce: String(Date.now() * 1000 + server.requests.length),
        pair: 'XBTUSDT',
        type: 'buy',
        ...fields,
      });

    const uuid = {
      ordertype: 'limit',
      volume: '0.01',
      price: '40000',
      cl_ord_id: '0190a6b8-5c2e-7d3f-8a1b-2c3d4e5f6a7b',
    };
    // In this order: the second order with the UUID finds the first one open.
    const answers: Array<[Record<string, string>, string[]]> = [
      [
        { ordertype: 'limit', volume: '0.01', price: '40000', cl_ord_id: 'nineteen-characters' },
        ['EGeneral:Invalid arguments:cl_ord_id'],
      ],
      [uuid, []],
      [uuid, ['EOrder:Duplicate cl_ord_id']],
      [{ ordertype: 'limit', volume: '0.00009', price: '40000' }, ['EOrder:Order minimum not met']],
      [{ ordertype: 'limit', volume: '0.000000001', price: '40000' }, ['EGeneral:Invalid arguments:volume']],
      [{ ordertype: 'limit', volume: '0.01', price: '40000.05' }, ['EGeneral:Invalid arguments:price']],
      [{ ordertype: 'limit', volume: '1', price: '40000' }, ['EOrder:Insufficient funds']],
      [{ pair: 'NOPEUSD', ordertype: 'market', volume: '1' }, ['EQuery:Unknown asset pair']],
    ];
    for (const [fields, error] of answers)
      expect({ fields, error: (await add(fields)).error }).toEqual({ fields, error });
    expect(server.state.orders.size).toBe(1);
  });

  it('injects faults: an EAPI rate limit answer, a 5xx and a hanging AddOrder', async () => {
    await client.loadMarkets();
    server.injectFault({
      path: '/0/private/BalanceEx',
      fault: { kind: 'kraken-error', error: 'EAPI:Rate limit exceeded' },
    });
    expect(await caughtName(client.fetchBalance())).toBe('DDoSProtection');
    server.injectFault({ path: '/0/private/BalanceEx', fault: { kind: 'status', status: 502, body: 'Bad Gateway' } });
    expect(await caughtName(client.fetchBalance())).toBe('ExchangeNotAvailable');

    client.timeout = 300;
    server.injectFault({ method: 'POST', path: '/0/private/AddOrder', fault: { kind: 'hang' } });
    expect(
      await caughtName(client.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 40000, { clientOrderId: 'h-1' })),
    ).toBe('RequestTimeout');
    // performed, never answered
    expect([...server.state.orders.values()].map((o) => o.clOrdId)).toEqual(['h-1']);
  });
});
