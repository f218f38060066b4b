import Decimal from 'decimal.js';
import { CcxtExchangeAdapter } from '@trading/exchange';
import {
  caught,
  cid,
  exchangeAdapterContract,
  ExchangeProfile,
  limitBuyOf,
  kindOf,
  settled,
} from './exchange-adapter.contract';
import { LoopbackBinance, LoopbackFault, startLoopbackBinance } from './index';

const queryOrder = { method: 'GET', path: '/api/v3/order' };

const binance: ExchangeProfile<LoopbackBinance, LoopbackFault> = {
  name: 'Binance',
  exchangeId: 'binance',
  start: () => startLoopbackBinance(),
  pairId: 'BTCUSDT',
  baseAssetId: 'BTC',
  serverBalance: (server, asset) => {
    const { free, locked } = server.state.balance(asset);
    return { total: new Decimal(free).plus(locked).toFixed(), held: locked, free };
  },

  endpoints: {
    createOrder: { method: 'POST', path: '/api/v3/order' },
    balance: { method: 'GET', path: '/api/v3/account' },
    lookup: queryOrder,
  },
  marketRequests: ['GET /api/v3/exchangeInfo'],
  // The new-order answer (FULL) carries the order's state: nothing to read back.
  createRoundTrip: ['POST /api/v3/order'],
  // One query by origClientOrderId finds open and closed orders alike.
  lookupRequests: (clientOrderId) => [{ ...queryOrder, params: { origClientOrderId: clientOrderId } }],
  cancelRequest: (clientOrderId) => ({
    method: 'DELETE',
    path: '/api/v3/order',
    params: { origClientOrderId: clientOrderId },
  }),
  orderTradesRequests: (_server, orderId) => [{ method: 'GET', path: '/api/v3/myTrades', params: { orderId } }],
  roundedLimitBuy: (clientOrderId) => ({
    symbol: 'BTCUSDT',
    side: 'BUY',
    type: 'LIMIT',
    quantity: '0.01234',
    price: '60000.12',
    newClientOrderId: clientOrderId,
  }),

  market: {
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
  },
  otherMarkets: {
    'LTC/USDT': { priceTick: '0.01', amountStep: '0.001', minAmount: '0.001', maxAmount: '90000', minNotional: '5' },
    'SOL/USDT': { amountStep: '0.001', maxAmount: '9000000' },
  },
  recorded: {
    candle: { open: '43519.34', high: '43936', low: '43171', close: '43488.71', volume: '20.55495' },
    last: '73369.84',
    balances: {
      USDT: settled('10000'),
      ETH: settled('0.02229833'),
    },
  },
  // locked: 0.01234 x 60 000.12 = 740.4014808 USDT
  roundedBuy: {
    amount: '0.01234',
    price: '60000.12',
    usdtWhileOpen: { free: '9259.5985192', used: '740.4014808', total: '10000' },
  },
  belowMinimum: {
    amount: { type: 'market', amount: '0.000001', referencePrice: '70000' },
    // 0.0001 x 40 000 = 4 USDT < 5 USDT minimum notional
    notional: { type: 'limit', amount: '0.0001', price: '40000', message: /notional 4 below minimum 5/ },
  },
  // commission 0.1 % of the 0.1 BTC bought, paid in base: 0.0001 BTC; 10 000 - 5 000 USDT left
  marketBuy: {
    fee: { currency: 'BTC', cost: '0.0001' },
    balancesAfter: {
      BTC: settled('0.0999'),
      USDT: settled('5000'),
    },
  },
  // 0.1 x 52 000 = 5 200 USDT, less the maker commission 0.1 % = 5.2 USDT: 10 000 + 5 194.8.
  // Binance's order query carries no commission (only the new-order FULL answer and the trades do).
  makerSell: {
    fee: { currency: 'USDT', cost: '5.2' },
    orderFees: [],
    usdtAfter: settled('15194.8'),
  },

  errorTable: [
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
    ['-1015 too many new orders', 'rate_limited', { kind: 'binance-error', code: -1015, msg: 'Too many new orders.' }],
    [
      '-2010 insufficient balance',
      'insufficient_funds',
      { kind: 'binance-error', code: -2010, msg: 'Account has insufficient balance for requested action.' },
    ],
    ['-2010 duplicate order', 'invalid_order', { kind: 'binance-error', code: -2010, msg: 'Duplicate order sent.' }],
    ['-1013 filter failure', 'invalid_order', { kind: 'binance-error', code: -1013, msg: 'Filter failure: LOT_SIZE' }],
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
    ['-2011 unknown order sent', 'order_not_found', { kind: 'binance-error', code: -2011, msg: 'Unknown order sent.' }],
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
  ],
  createNotPerformed: [
    ['HTTP 500', { kind: 'status', status: 500, body: 'Internal Server Error' }],
    ['HTTP 429 -1003', { kind: 'binance-error', status: 429, code: -1003, msg: 'Too much request weight used.' }],
    [
      '-1007 timeout waiting for backend',
      { kind: 'binance-error', code: -1007, msg: 'Timeout waiting for response from backend server.' },
    ],
  ],
  echoFault: (text) => ({ kind: 'binance-error', code: -1022, msg: `bad signature for ${text}` }),
  insufficientFundsText: 'Account has insufficient balance for requested action.',
  wrongSecret: { secret: 'not-the-loopback-secret', answer: 'Signature for this request is not valid.' },
};

describe('CcxtExchangeAdapter against the loopback Binance', () => {
  const t = exchangeAdapterContract(binance);

  it('a testnet (sandbox) client still goes where explicit URLs point it', async () => {
    const sandboxed = new CcxtExchangeAdapter({
      exchangeId: 'binance',
      ...t.server.credentials,
      ...t.server.ccxtOverrides,
      sandbox: true,
      enableRateLimit: false,
      timeoutMs: 2_000,
    });
    try {
      expect((await sandboxed.fetchBalance())['USDT']).toEqual(settled('10000'));
      expect(t.server.requests.map((r) => r.path)).toEqual(['/api/v3/exchangeInfo', '/api/v3/account']);
    } finally {
      await sandboxed.close();
    }
  });

  it('refuses a duplicate client order id as a final invalid_order', async () => {
    const request = limitBuyOf(cid(102));
    await t.adapter.createOrder(request);

    const error = await caught(t.adapter.createOrder(request));

    expect(kindOf(error)).toBe('invalid_order');
    expect(error.message).toMatch(/Duplicate order sent/);
    expect(t.server.state.orders.size).toBe(1);
  });
});
