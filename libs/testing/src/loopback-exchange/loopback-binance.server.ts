import Decimal from 'decimal.js';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { BINANCE_ERRORS, BinanceApiError } from './binance-api.error';
import { exchangeInfo, recorded } from './fixtures/binance-spot.fixture';
import { LoopbackFault } from './loopback-faults';
import { LoopbackCall, LoopbackExchange, LoopbackServerOptions, startLoopbackHttp } from './loopback-http';
import {
  BinanceOrderType,
  BinanceSide,
  LoopbackBinanceState,
  LoopbackCandle,
  LoopbackSymbol,
  StoredOrder,
  StoredTrade,
} from './loopback-binance.state';
import { BINANCE_INTERVAL_MS } from './binance-intervals';

export type { LoopbackRequest } from './loopback-http';

export interface LoopbackBinanceOptions extends LoopbackServerOptions {
  /** Check X-MBX-APIKEY and the HMAC-SHA256 signature of signed requests, as Binance does. On unless told. */
  verifySignature?: boolean;
  /** Binance symbols served by exchangeInfo; BTCUSDT is always included. All fixture symbols unless told. */
  symbols?: string[];
  /** Free balance per asset; the recorded account's balances plus 10 000 USDT unless told. */
  balances?: Record<string, string>;
  /** Current price per symbol: what market orders fill at and what crossing limits are checked against. */
  prices?: Record<string, string>;
  /** Candle series served by /api/v3/klines; the recorded BTCUSDT 1h candles unless told. */
  klines?: Array<{ symbol: string; interval: string; candles: LoopbackCandle[] }>;
}

/** `ccxtOverrides` make `new ccxt.binance({...})` load markets with one call (spot only). */
export type LoopbackBinance = LoopbackExchange<LoopbackBinanceState, LoopbackFault>;

const SIGNED_PATHS = new Set([
  '/api/v3/order',
  '/api/v3/openOrders',
  '/api/v3/allOrders',
  '/api/v3/myTrades',
  '/api/v3/account',
]);

type Handler = (params: Record<string, string>) => unknown;

const fmt = (value: Decimal) => value.toFixed(8);

function defaultSymbols(): LoopbackSymbol[] {
  return exchangeInfo.symbols.map((s) => {
    const filter = (type: string) => s.filters.find((f) => f.filterType === type) as Record<string, unknown>;
    return {
      symbol: s.symbol,
      base: s.baseAsset,
      quote: s.quoteAsset,
      tickSize: String(filter('PRICE_FILTER')['tickSize']),
      stepSize: String(filter('LOT_SIZE')['stepSize']),
      minQty: String(filter('LOT_SIZE')['minQty']),
      maxQty: String(filter('LOT_SIZE')['maxQty']),
      minNotional: String(filter('NOTIONAL')['minNotional']),
    };
  });
}

function recordedKlines(): LoopbackCandle[] {
  return recorded.klinesBtcUsdt1h.httpResponse.map((row) => ({
    openTime: row[0],
    open: row[1],
    high: row[2],
    low: row[3],
    close: row[4],
    volume: row[5],
  }));
}

function recordedBalances(): Record<string, string> {
  const balances: Record<string, string> = {};
  for (const b of recorded.account.httpResponse.balances) balances[b.asset] = new Decimal(b.free).toFixed();
  balances['USDT'] = '10000';
  return balances;
}

/**
 * A Binance spot REST server on 127.0.0.1 for tests: real endpoints, real
 * payload shapes (seeded from ccxt's recorded responses), a stateful book of
 * our own orders, and fault injection. Signed requests are checked like
 * Binance checks them (API key header, timestamp within recvWindow,
 * HMAC-SHA256 of the query string and body) unless verifySignature is false.
 */
export async function startLoopbackBinance(options: LoopbackBinanceOptions = {}): Promise<LoopbackBinance> {
  const apiKey = options.apiKey ?? 'loopback-api-key';
  const secret = options.secret ?? 'loopback-secret';
  const verifySignature = options.verifySignature ?? true;
  const wanted = options.symbols ? new Set([...options.symbols, 'BTCUSDT']) : undefined;
  const symbols = defaultSymbols().filter((s) => !wanted || wanted.has(s.symbol));
  const commissionRates = recorded.account.httpResponse.commissionRates;
  const state = new LoopbackBinanceState({
    symbols,
    balances: options.balances ?? recordedBalances(),
    prices: options.prices ?? {
      BTCUSDT: new Decimal(recorded.ticker24hrBtcUsdt.httpResponse.lastPrice).toFixed(),
      LTCUSDT: new Decimal(recorded.myTrades.httpResponse[0].price).toFixed(),
      SOLUSDT: new Decimal(recorded.orderCreated.httpResponse.price).toFixed(),
    },
    klines: options.klines ?? [{ symbol: 'BTCUSDT', interval: '1h', candles: recordedKlines() }],
    makerCommission: commissionRates.maker,
    takerCommission: commissionRates.taker,
    now: options.now ?? Date.now,
  });
  const routes = buildRoutes(state, symbols);

  function checkSigned({ headers, params, rawQuery, body }: LoopbackCall): void {
    if (!verifySignature) return;
    const key = headers['x-mbx-apikey'];
    if (typeof key !== 'string' || key.length === 0) throw BINANCE_ERRORS.apiKeyFormatInvalid();
    if (key !== apiKey) throw BINANCE_ERRORS.invalidApiKey();
    const timestamp = Number(params['timestamp']);
    if (!Number.isFinite(timestamp)) throw BINANCE_ERRORS.mandatoryParameter('timestamp');
    const recvWindow = Number(params['recvWindow'] ?? 5000);
    const serverTime = state.now();
    if (timestamp >= serverTime + 1000 || serverTime - timestamp > recvWindow)
      throw BINANCE_ERRORS.timestampOutsideRecvWindow();
    const signature = params['signature'];
    if (!signature) throw BINANCE_ERRORS.mandatoryParameter('signature');
    const unsigned = (text: string) => text.replace(/&?signature=[^&]*/, '');
    const signedText = unsigned(rawQuery) + unsigned(body);
    const expected = createHmac('sha256', secret).update(signedText).digest('hex');
    const ok = expected.length === signature.length && timingSafeEqual(Buffer.from(expected), Buffer.from(signature));
    if (!ok) throw BINANCE_ERRORS.invalidSignature();
  }

  const http = await startLoopbackHttp<Extract<LoopbackFault, { kind: 'binance-error' }>>({
    jsonContentType: 'application/json;charset=UTF-8',
    errorAnswer: (fault) => ({ status: fault.status ?? 400, payload: { code: fault.code, msg: fault.msg } }),
    perform: (call) => {
      try {
        const route = routes.get(`${call.method} ${call.path}`);
        if (!route) throw new BinanceApiError(404, -1, `no route ${call.method} ${call.path}`);
        if (SIGNED_PATHS.has(call.path)) checkSigned(call);
        return { status: 200, payload: route(call.params) };
      } catch (error) {
        if (!(error instanceof BinanceApiError)) throw error;
        return { status: error.status, payload: { code: error.code, msg: error.msg } };
      }
    },
  });

  return {
    ...http,
    ccxtOverrides: {
      urls: {
        api: {
          public: `${http.url}/api/v3`,
          private: `${http.url}/api/v3`,
          v1: `${http.url}/api/v1`,
          sapi: `${http.url}/sapi/v1`,
        },
      },
      options: { fetchMarkets: { types: ['spot'] }, fetchCurrencies: false, fetchMargins: false },
    },
    credentials: { apiKey, secret },
    state,
  };
}

function buildRoutes(state: LoopbackBinanceState, symbols: LoopbackSymbol[]): Map<string, Handler> {
  const served = new Set(symbols.map((s) => s.symbol));
  const required = (params: Record<string, string>, name: string): string => {
    const value = params[name];
    if (value === undefined || value === '') throw BINANCE_ERRORS.mandatoryParameter(name);
    return value;
  };
  const knownSymbol = (params: Record<string, string>): string => {
    const symbol = required(params, 'symbol');
    if (!served.has(symbol)) throw BINANCE_ERRORS.invalidSymbol();
    return symbol;
  };
  const orderRef = (params: Record<string, string>) => {
    if (params['orderId'] !== undefined) return { orderId: Number(params['orderId']) };
    if (params['origClientOrderId'] !== undefined) return { origClientOrderId: params['origClientOrderId'] };
    throw BINANCE_ERRORS.mandatoryParameter('orderId');
  };
  const ticker = (symbol: string) => {
    const price = fmt(state.price(symbol));
    const base = symbol === 'BTCUSDT' ? recorded.ticker24hrBtcUsdt.httpResponse : undefined;
    const closeTime = state.now();
    return {
      ...(base ?? {}),
      symbol,
      lastPrice: price,
      bidPrice: price,
      askPrice: price,
      openTime: closeTime - 86_400_000,
      closeTime,
    };
  };

  return new Map<string, Handler>([
    ['GET /api/v3/ping', () => ({})],
    ['GET /api/v3/time', () => ({ serverTime: state.now() })],
    ['GET /sapi/v1/system/status', () => ({ status: 0, msg: 'normal' })],
    [
      'GET /api/v3/exchangeInfo',
      (params) => {
        const only = params['symbol']
          ? [params['symbol']]
          : params['symbols']
            ? (JSON.parse(params['symbols']) as string[])
            : undefined;
        return {
          ...exchangeInfo,
          serverTime: state.now(),
          symbols: exchangeInfo.symbols.filter((s) => served.has(s.symbol) && (!only || only.includes(s.symbol))),
        };
      },
    ],
    [
      'GET /api/v3/klines',
      (params) => {
        const symbol = knownSymbol(params);
        const interval = required(params, 'interval');
        const step = BINANCE_INTERVAL_MS[interval];
        if (step === undefined) throw BinanceApiError.badRequest(-1120, 'Invalid interval.');
        const limit = Math.min(Number(params['limit'] ?? 500), 1000);
        const start = params['startTime'] !== undefined ? Number(params['startTime']) : undefined;
        const end = params['endTime'] !== undefined ? Number(params['endTime']) : undefined;
        let candles = state
          .candles(symbol, interval)
          .filter((c) => (start === undefined || c.openTime >= start) && (end === undefined || c.openTime <= end));
        candles = start === undefined && end === undefined ? candles.slice(-limit) : candles.slice(0, limit);
        return candles.map((c) => [
          c.openTime,
          fmt(new Decimal(c.open)),
          fmt(new Decimal(c.high)),
          fmt(new Decimal(c.low)),
          fmt(new Decimal(c.close)),
          fmt(new Decimal(c.volume)),
          c.openTime + step - 1,
          fmt(new Decimal(c.volume).times(c.close)),
          0,
          '0.00000000',
          '0.00000000',
          '0',
        ]);
      },
    ],
    [
      'GET /api/v3/ticker/24hr',
      (params) => (params['symbol'] ? ticker(knownSymbol(params)) : [...served].map((symbol) => ticker(symbol))),
    ],
    [
      'POST /api/v3/order',
      (params) => {
        const symbol = knownSymbol(params);
        const { order, fills } = state.newOrder({
          symbol,
          side: required(params, 'side') as BinanceSide,
          type: required(params, 'type') as BinanceOrderType,
          quantity: required(params, 'quantity'),
          price: params['price'],
          timeInForce: params['timeInForce'],
          newClientOrderId: params['newClientOrderId'],
        });
        const respType = params['newOrderRespType'] ?? (order.type === 'MARKET' ? 'FULL' : 'ACK');
        const ack = {
          symbol,
          orderId: order.orderId,
          orderListId: -1,
          clientOrderId: order.clientOrderId,
          transactTime: order.time,
        };
        if (respType === 'ACK') return ack;
        const result = {
          ...ack,
          ...orderFigures(order),
          workingTime: order.time,
          selfTradePreventionMode: 'EXPIRE_MAKER',
        };
        if (respType === 'RESULT') return result;
        return {
          ...result,
          fills: fills.map((t) => ({
            price: fmt(t.price),
            qty: fmt(t.qty),
            commission: fmt(t.commission),
            commissionAsset: t.commissionAsset,
            tradeId: t.id,
          })),
        };
      },
    ],
    ['GET /api/v3/order', (params) => orderView(state.findOrder(knownSymbol(params), orderRef(params)))],
    [
      'DELETE /api/v3/order',
      (params) => {
        const symbol = knownSymbol(params);
        const order = state.cancel(symbol, orderRef(params));
        return {
          symbol,
          origClientOrderId: order.clientOrderId,
          orderId: order.orderId,
          orderListId: -1,
          clientOrderId: params['newClientOrderId'] ?? `cancel-${order.orderId}`,
          transactTime: order.updateTime,
          ...orderFigures(order),
          selfTradePreventionMode: 'EXPIRE_MAKER',
        };
      },
    ],
    [
      'GET /api/v3/openOrders',
      (params) => state.openOrders(params['symbol'] ? knownSymbol(params) : undefined).map(orderView),
    ],
    [
      'GET /api/v3/allOrders',
      (params) => {
        const symbol = knownSymbol(params);
        const fromId = params['orderId'] !== undefined ? Number(params['orderId']) : undefined;
        const limit = Math.min(Number(params['limit'] ?? 500), 1000);
        return [...state.orders.values()]
          .filter(
            (o) => o.symbol === symbol && (fromId === undefined || o.orderId >= fromId) && inWindow(o.time, params),
          )
          .slice(0, limit)
          .map(orderView);
      },
    ],
    [
      'GET /api/v3/myTrades',
      (params) => {
        const symbol = knownSymbol(params);
        const limit = Math.min(Number(params['limit'] ?? 500), 1000);
        const fromId = params['fromId'] !== undefined ? Number(params['fromId']) : undefined;
        const orderId = params['orderId'] !== undefined ? Number(params['orderId']) : undefined;
        return state.trades
          .filter(
            (t) =>
              t.symbol === symbol &&
              (orderId === undefined || t.orderId === orderId) &&
              (fromId === undefined || t.id >= fromId) &&
              inWindow(t.time, params),
          )
          .slice(0, limit)
          .map(tradeView);
      },
    ],
    [
      'GET /api/v3/account',
      () => ({
        ...recorded.account.httpResponse,
        makerCommission: state.makerCommission.times(10_000).toNumber(),
        takerCommission: state.takerCommission.times(10_000).toNumber(),
        commissionRates: {
          maker: fmt(state.makerCommission),
          taker: fmt(state.takerCommission),
          buyer: '0.00000000',
          seller: '0.00000000',
        },
        updateTime: state.now(),
        balances: state.allBalances().map((b) => ({ asset: b.asset, free: fmt(b.free), locked: fmt(b.locked) })),
      }),
    ],
  ]);
}

function inWindow(time: number, params: Record<string, string>): boolean {
  const start = params['startTime'] !== undefined ? Number(params['startTime']) : undefined;
  const end = params['endTime'] !== undefined ? Number(params['endTime']) : undefined;
  return (start === undefined || time >= start) && (end === undefined || time <= end);
}

/** The figures Binance repeats in its answers to a new order (RESULT, FULL) and a cancel. */
function orderFigures(order: StoredOrder) {
  return {
    price: fmt(order.price),
    origQty: fmt(order.origQty),
    executedQty: fmt(order.executedQty),
    origQuoteOrderQty: '0.00000000',
    cummulativeQuoteQty: fmt(order.cummulativeQuoteQty),
    status: order.status,
    timeInForce: order.timeInForce ?? 'GTC',
    type: order.type,
    side: order.side,
  };
}

function orderView(order: StoredOrder) {
  return {
    symbol: order.symbol,
    orderId: order.orderId,
    orderListId: -1,
    clientOrderId: order.clientOrderId,
    ...orderFigures(order),
    stopPrice: '0.00000000',
    icebergQty: '0.00000000',
    time: order.time,
    updateTime: order.updateTime,
    isWorking: true,
    workingTime: order.time,
    selfTradePreventionMode: 'EXPIRE_MAKER',
  };
}

function tradeView(trade: StoredTrade) {
  return {
    symbol: trade.symbol,
    id: trade.id,
    orderId: trade.orderId,
    orderListId: -1,
    price: fmt(trade.price),
    qty: fmt(trade.qty),
    quoteQty: fmt(trade.quoteQty),
    commission: fmt(trade.commission),
    commissionAsset: trade.commissionAsset,
    time: trade.time,
    isBuyer: trade.side === 'BUY',
    isMaker: trade.isMaker,
    isBestMatch: true,
  };
}
