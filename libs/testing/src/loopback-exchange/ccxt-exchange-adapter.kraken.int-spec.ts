import {
  cid,
  exchangeAdapterContract,
  ExchangeProfile,
  limitBuyOf,
  requestsTo,
  settled,
} from './exchange-adapter.contract';
import { KrakenFault, LoopbackKraken, startLoopbackKraken } from './index';

const privateCall = (endpoint: string) => ({ method: 'POST', path: `/0/private/${endpoint}` });
const byClOrdId = (endpoint: string, clientOrderId: string) => ({
  ...privateCall(endpoint),
  params: { cl_ord_id: clientOrderId },
});

const kraken: ExchangeProfile<LoopbackKraken, KrakenFault> = {
  name: 'Kraken',
  exchangeId: 'kraken',
  start: () => startLoopbackKraken(),
  pairId: 'XBTUSDT',
  baseAssetId: 'XXBT',
  serverBalance: (server, asset) => {
    const { total, hold, free } = server.state.balance(asset);
    return { total, held: hold, free };
  },

  endpoints: {
    createOrder: privateCall('AddOrder'),
    balance: privateCall('BalanceEx'),
    lookup: privateCall('OpenOrders'),
  },
  marketRequests: ['GET /0/public/Assets', 'GET /0/public/AssetPairs'],
  // AddOrder answers the txid only: the adapter reads the order's state once.
  createRoundTrip: ['POST /0/private/AddOrder', 'POST /0/private/QueryOrders'],
  // Open orders first (a filled one is not there), then the closed ones, both filtered by cl_ord_id.
  lookupRequests: (clientOrderId, found) => [
    byClOrdId('OpenOrders', clientOrderId),
    ...(found === 'closed' ? [byClOrdId('ClosedOrders', clientOrderId)] : []),
  ],
  cancelRequest: (clientOrderId) => byClOrdId('CancelOrder', clientOrderId),
  // CancelOrder answers a count only: the adapter reads the order back, cl_ord_id and all.
  // ccxt needs the order's trade ids: the order first, then its trades.
  orderTradesRequests: (server, orderId) => [
    { ...privateCall('QueryOrders'), params: { txid: orderId } },
    {
      ...privateCall('QueryTrades'),
      params: { txid: server.state.trades.find((trade) => trade.ordertxid === orderId)?.id ?? 'none of this order' },
    },
  ],
  roundedLimitBuy: (clientOrderId) => ({
    pair: 'XBTUSDT',
    type: 'buy',
    ordertype: 'limit',
    volume: '0.01234567',
    price: '60000.1',
    cl_ord_id: clientOrderId,
  }),

  market: {
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
  },
  otherMarkets: {
    'LTC/USDT': { priceTick: '0.00001', minAmount: '0.08', minNotional: '0.5' },
    'BTC/USD': { base: 'BTC', quote: 'USD' },
  },
  recorded: {
    candle: { open: '43366.3', high: '43529.2', low: '43234.2', close: '43485', volume: '12.51327406' },
    last: '73380.6',
    balances: {
      USDT: settled('10000'),
      USD: settled('10000'),
    },
  },
  // held: 0.01234567 x 60 000.1 = 740.741434567, plus the taker fee 1.925927729... rounded up to 5 places (1.92593)
  roundedBuy: {
    amount: '0.01234567',
    price: '60000.1',
    usdtWhileOpen: { free: '9257.332635433', used: '742.667364567', total: '10000' },
  },
  belowMinimum: {
    amount: { type: 'limit', amount: '0.00005', price: '60000' },
    // 0.0001 x 4 000 = 0.4 USDT < 0.5 USDT costmin
    notional: { type: 'limit', amount: '0.0001', price: '4000', message: /notional 0.4 below minimum 0.5/ },
  },
  // 0.1 x 50 000 = 5 000 USDT, taker fee 0.26 % = 13 USDT, charged in quote
  marketBuy: {
    fee: { currency: 'USDT', cost: '13' },
    balancesAfter: {
      USDT: settled('4987'),
      BTC: settled('0.1'),
    },
  },
  // 0.1 x 52 000 = 5 200 USDT, less the maker fee 0.16 % = 8.32 USDT: 10 000 + 5 191.68
  makerSell: {
    fee: { currency: 'USDT', cost: '8.32' },
    orderFees: [{ currency: 'USDT', cost: '8.32' }],
    usdtAfter: settled('15191.68'),
  },

  errorTable: [
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
    ['EOrder:Order minimum not met', 'invalid_order', { kind: 'kraken-error', error: 'EOrder:Order minimum not met' }],
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
  ],
  createNotPerformed: [
    ['HTTP 500', { kind: 'status', status: 500, body: 'Internal Server Error' }],
    ['EAPI:Rate limit exceeded', { kind: 'kraken-error', error: 'EAPI:Rate limit exceeded' }],
    ['EService:Unavailable', { kind: 'kraken-error', error: 'EService:Unavailable' }],
  ],
  echoFault: (text) => ({ kind: 'kraken-error', error: `EGeneral:Internal error (${text})` }),
  insufficientFundsText: 'EOrder:Insufficient funds',
  // Kraken answers a signature made with another secret as it answers a wrong key.
  wrongSecret: { secret: Buffer.from('not-the-loopback-secret').toString('base64'), answer: 'EAPI:Invalid key' },
};

describe('CcxtExchangeAdapter against the loopback Kraken', () => {
  const t = exchangeAdapterContract(kraken);

  it('a resend with the client order id of an open order resolves to that order, never a second one', async () => {
    const order = limitBuyOf(cid(101));
    const first = await t.adapter.createOrder(order);

    // Kraken refuses the duplicate cl_ord_id; ccxt knows no class for that answer, so the adapter looks the id up
    const again = await t.adapter.createOrder(order);

    expect(again).toMatchObject({ id: first.id, clientOrderId: cid(101), status: 'open' });
    expect(t.server.state.orders.size).toBe(1);
    expect(requestsTo(t.server, kraken.endpoints.createOrder)).toHaveLength(2);
  });

  it('asks for every fee in the quote currency (oflags fciq), so selling a whole position leaves no base fee to pay', async () => {
    const held = (await t.adapter.fetchBalance())['BTC']?.total ?? '0';
    await t.adapter.createOrder({ symbol: 'BTC/USDT', type: 'market', side: 'buy', amount: '0.01', clientOrderId: cid(102) });
    const sell = await t.adapter.createOrder({ symbol: 'BTC/USDT', type: 'market', side: 'sell', amount: '0.01', clientOrderId: cid(103) });

    expect(requestsTo(t.server, kraken.endpoints.createOrder).map((r) => r.params['oflags'])).toEqual(['fciq', 'fciq']);
    expect(sell).toMatchObject({ status: 'closed', filled: '0.01' });
    expect(sell.fees.map((f) => f.currency)).toEqual(['USDT']);
    expect((await t.adapter.fetchBalance())['BTC']?.total ?? '0').toBe(held);
  });

  it('sends private calls one at a time, so a request the network delivers late is not refused for its nonce', async () => {
    await t.adapter.loadMarkets();
    // The first balance request reaches the exchange 300 ms late: a second one sent meanwhile (a higher nonce) would
    // be seen first, and the late one refused (EAPI:Invalid nonce). Sent one after the other, both pass.
    t.server.injectFault({ ...kraken.endpoints.balance, fault: { kind: 'delay', ms: 300, beforeAction: true } });
    const [first, second] = await Promise.all([t.adapter.fetchBalance(), t.adapter.fetchBalance()]);
    expect(second).toEqual(first);
    const nonces = requestsTo(t.server, kraken.endpoints.balance).map((r) => BigInt(r.params['nonce']!));
    expect(nonces).toHaveLength(2);
    expect(nonces[1]! > nonces[0]!).toBe(true);
  });

  it('never shares a nonce: 200 private calls in a row pass a server that wants each nonce above the last', async () => {
    await t.adapter.loadMarkets();
    for (let i = 0; i < 200; i++) await t.adapter.fetchBalance();

    const nonces = requestsTo(t.server, kraken.endpoints.balance).map((r) => BigInt(r.params['nonce']!));
    expect(nonces).toHaveLength(200);
    expect(nonces.every((n, i) => i === 0 || n > nonces[i - 1]!)).toBe(true);
  });
});
