import DecimalJs from 'decimal.js';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { assetPairs, assets, recorded } from './fixtures/kraken-spot.fixture';
import { KRAKEN_ERRORS, KrakenApiError } from './kraken-api.error';
import { TransportFault } from './loopback-faults';
import {
  LoopbackCall,
  LoopbackExchange,
  LoopbackRequest,
  LoopbackServerOptions,
  startLoopbackHttp,
} from './loopback-http';
import {
  KRAKEN_TXID,
  KrakenCandle,
  KrakenPair,
  KrakenStoredOrder,
  KrakenStoredTrade,
  LoopbackKrakenState,
} from './loopback-kraken.state';

type Decimal = DecimalJs;

/** The transport faults every loopback server knows, and Kraken's error shape. */
export type KrakenFault =
  | TransportFault
  /** Answers `{ "error": [error] }` (HTTP 200 unless told) without performing the request. */
  | { kind: 'kraken-error'; error: string; status?: number };

export interface LoopbackKrakenOptions extends LoopbackServerOptions {
  /** Base64, as Kraken issues API secrets. */
  secret?: string;
  /** Check API-Key, API-Sign (HMAC-SHA512) and the nonce of private requests, as Kraken does. On unless told. */
  verifySignature?: boolean;
  /** How far below the highest nonce seen a nonce may be (Kraken's per-key nonce window); 0: strictly increasing. */
  nonceWindow?: number;
  /** AssetPairs keys served (XBTUSDT, XXBTZUSD, LTCUSDT); XBTUSDT is always included. All unless told. */
  pairs?: string[];
  /** Total balance per Kraken asset id (USDT, ZUSD, XXBT, XLTC): 10 000 USDT and 10 000 USD unless told. */
  balances?: Record<string, string>;
  /** Current price per pair id: what market orders fill at and what crossing limits are checked against. */
  prices?: Record<string, string>;
  /** Candle series served by /0/public/OHLC; the recorded XBTUSDT 1h candles unless told. */
  candles?: Array<{ pair: string; intervalMinutes: number; candles: KrakenCandle[] }>;
}

/** Method, path and params (query string and form or JSON body, nonce included). */
export type LoopbackKrakenRequest = LoopbackRequest;

export type LoopbackKraken = LoopbackExchange<LoopbackKrakenState, KrakenFault>;

type Params = Record<string, string>;
type Handler = (params: Params) => unknown;

/** Kraken's OHLC serves the most recent 720 entries of a series, whatever `since` says. */
const OHLC_WINDOW = 720;
const OHLC_INTERVALS = new Set([1, 5, 15, 30, 60, 240, 1440, 10080, 21600]);
const PAGE = 50;

function defaultPairs(): KrakenPair[] {
  return Object.entries(assetPairs).map(([id, p]) => ({
    id,
    altname: p.altname,
    base: p.base,
    quote: p.quote,
    pairDecimals: p.pair_decimals,
    lotDecimals: p.lot_decimals,
    costDecimals: p.cost_decimals,
    ordermin: p.ordermin,
    costmin: p.costmin,
    makerFee: firstTier(p.fees_maker),
    takerFee: firstTier(p.fees),
  }));
}

/** The rate of the lowest volume tier, as a fraction (Kraken lists percentages: [[0, 0.26], ...]). */
function firstTier(tiers: number[][]): string {
  const [[, percent] = []] = tiers;
  if (percent === undefined) throw new Error('a pair without fee tiers');
  return new DecimalJs(percent).div(100).toFixed();
}

function recordedCandles(): KrakenCandle[] {
  return recorded.ohlcXbtUsdt1h.httpResponse.result.XBTUSDT.map((row) => ({
    openTime: Number(row[0]) * 1000,
    open: String(row[1]),
    high: String(row[2]),
    low: String(row[3]),
    close: String(row[4]),
    vwap: String(row[5]),
    volume: String(row[6]),
    count: Number(row[7]),
  }));
}

/** At least `decimals` places, more when the value has them (never rounds). */
const fmt = (value: Decimal, decimals: number) => value.toFixed(Math.max(decimals, value.decimalPlaces()));
const seconds = (ms: number) => ms / 1000;
const flag = (value: string | undefined) => value === 'true' || value === '1';

/**
 * A Kraken spot REST server on 127.0.0.1 for tests: the /0/public and /0/private endpoints ccxt's
 * kraken class calls, payload shapes from ccxt's recorded responses, a stateful book of our own
 * orders, and fault injection. Private requests are checked as Kraken checks them (API-Key, an
 * API-Sign that is the HMAC-SHA512 of URI path + SHA256(nonce + POST data) with the base64-decoded
 * secret, an increasing nonce) unless verifySignature is false.
 */
export async function startLoopbackKraken(options: LoopbackKrakenOptions = {}): Promise<LoopbackKraken> {
  const apiKey = options.apiKey ?? 'loopback-kraken-api-key';
  const secret = options.secret ?? Buffer.from('loopback-kraken-secret-for-tests-only-0123456789').toString('base64');
  const verifySignature = options.verifySignature ?? true;
  const nonceWindow = BigInt(options.nonceWindow ?? 0);
  const wanted = options.pairs ? new Set([...options.pairs, 'XBTUSDT']) : undefined;
  const pairs = defaultPairs().filter((p) => !wanted || wanted.has(p.id));
  const recordedLast = recorded.tickerXbtUsdt.httpResponse.result.XBTUSDT.c[0];
  const state = new LoopbackKrakenState({
    pairs,
    balances: options.balances ?? { USDT: '10000', ZUSD: '10000' },
    prices: options.prices ?? {
      XBTUSDT: new DecimalJs(recordedLast).toFixed(),
      XXBTZUSD: new DecimalJs(recordedLast).toFixed(),
      LTCUSDT: new DecimalJs(
        recorded.queryOrderClosedMarket.httpResponse.result['OGMZCL-KC6MC-ZRBGM6'].price,
      ).toFixed(),
    },
    candles: options.candles ?? [{ pair: 'XBTUSDT', intervalMinutes: 60, candles: recordedCandles() }],
    now: options.now ?? Date.now,
  });
  const routes = buildRoutes(state);
  let highestNonce: bigint | undefined;

  function checkPrivate({ headers, path, params, body }: LoopbackCall): void {
    if (!verifySignature) return;
    const key = headers['api-key'];
    if (typeof key !== 'string' || key !== apiKey) throw KRAKEN_ERRORS.invalidKey();
    const nonceText = params['nonce'];
    if (nonceText === undefined || !/^\d{1,19}$/.test(nonceText)) throw KRAKEN_ERRORS.invalidNonce();
    const sign = headers['api-sign'];
    const message = Buffer.concat([
      Buffer.from(path),
      createHash('sha256')
        .update(nonceText + body)
        .digest(),
    ]);
    const expected = createHmac('sha512', Buffer.from(secret, 'base64')).update(message).digest('base64');
    const ok =
      typeof sign === 'string' &&
      sign.length === expected.length &&
      timingSafeEqual(Buffer.from(sign), Buffer.from(expected));
    // Kraken answers a signature that does not match the POST data with "Invalid key" too.
    if (!ok) throw KRAKEN_ERRORS.invalidKey();
    const nonce = BigInt(nonceText);
    if (highestNonce !== undefined && nonce <= highestNonce - nonceWindow) throw KRAKEN_ERRORS.invalidNonce();
    if (highestNonce === undefined || nonce > highestNonce) highestNonce = nonce;
  }

  const http = await startLoopbackHttp<Extract<KrakenFault, { kind: 'kraken-error' }>>({
    jsonContentType: 'application/json',
    bodyParams,
    errorAnswer: (fault) => ({ status: fault.status ?? 200, payload: { error: [fault.error] } }),
    perform: (call) => {
      try {
        const isPrivate = call.path.startsWith('/0/private/');
        // Kraken's public endpoints answer a POST as a GET; its private ones only a POST.
        const route = routes.get(`${isPrivate ? 'POST' : call.method === 'POST' ? 'GET' : call.method} ${call.path}`);
        if (!route || (isPrivate && call.method !== 'POST')) throw KRAKEN_ERRORS.unknownMethod();
        if (isPrivate) checkPrivate(call);
        return { status: 200, payload: { error: [], result: route(call.params) } };
      } catch (error) {
        if (!(error instanceof KrakenApiError)) throw error;
        return { status: error.status, payload: { error: [error.error] } };
      }
    },
  });

  return {
    ...http,
    ccxtOverrides: { urls: { api: { public: http.url, private: http.url } }, options: {} },
    credentials: { apiKey, secret },
    state,
  };
}

/** Form-encoded, or JSON when the request says so (values other than strings kept as JSON text). */
function bodyParams(body: string, headers: IncomingHttpHeaders): Array<[string, string]> {
  const json = String(headers['content-type'] ?? '').startsWith('application/json');
  if (!json || !body) return [...new URLSearchParams(body)];
  return Object.entries(JSON.parse(body) as Record<string, unknown>).map(([k, v]) => [
    k,
    typeof v === 'string' ? v : JSON.stringify(v),
  ]);
}

function buildRoutes(state: LoopbackKrakenState): Map<string, Handler> {
  const servedPairs = () => [...state.pairs.values()];
  const listArg = (value: string | undefined) => (value ? value.split(',').filter(Boolean) : undefined);
  const pairsArg = (value: string | undefined) => {
    const ids = listArg(value);
    return ids ? ids.map((id) => state.pair(id)) : servedPairs();
  };
  const userrefArg = (params: Params): number | undefined => {
    const value = params['userref'];
    if (value === undefined) return undefined;
    if (!/^-?\d{1,10}$/.test(value)) throw KRAKEN_ERRORS.invalidArguments('userref');
    return Number(value);
  };
  const timeArg = (value: string | undefined, name: string): number | undefined => {
    if (value === undefined) return undefined;
    if (!/^\d+(\.\d+)?$/.test(value)) throw KRAKEN_ERRORS.invalidArguments(name);
    return Number(value) * 1000;
  };
  const ordersMatching = (list: KrakenStoredOrder[], params: Params) => {
    const userref = userrefArg(params);
    const clOrdId = params['cl_ord_id'];
    return list.filter(
      (o) => (userref === undefined || o.userref === userref) && (clOrdId === undefined || o.clOrdId === clOrdId),
    );
  };
  const orderMap = (list: KrakenStoredOrder[], params: Params) =>
    Object.fromEntries(list.map((o) => [o.txid, orderInfo(state, o, flag(params['trades']))]));

  return new Map<string, Handler>([
    [
      'GET /0/public/Time',
      () => {
        const now = state.now();
        return { unixtime: Math.floor(now / 1000), rfc1123: new Date(now).toUTCString() };
      },
    ],
    ['GET /0/public/SystemStatus', () => ({ status: 'online', timestamp: new Date(state.now()).toISOString() })],
    [
      'GET /0/public/Assets',
      (params) => {
        const served = [...new Set(servedPairs().flatMap((p) => [p.base, p.quote]))];
        const result: Record<string, unknown> = {};
        for (const wantedId of listArg(params['asset']) ?? served) {
          const id =
            wantedId in assets ? wantedId : Object.entries(assets).find(([, a]) => a.altname === wantedId)?.[0];
          if (id === undefined) throw KRAKEN_ERRORS.unknownAsset();
          result[id] = assets[id];
        }
        return result;
      },
    ],
    [
      'GET /0/public/AssetPairs',
      (params) => Object.fromEntries(pairsArg(params['pair']).map((p) => [p.id, assetPairs[p.id]])),
    ],
    [
      'GET /0/public/Ticker',
      (params) => Object.fromEntries(pairsArg(params['pair']).map((p) => [p.id, tickerOf(state, p)])),
    ],
    [
      'GET /0/public/OHLC',
      (params) => {
        const pair = state.pair(params['pair'] ?? '');
        const interval = Number(params['interval'] ?? 1);
        if (!OHLC_INTERVALS.has(interval)) throw KRAKEN_ERRORS.invalidArguments();
        const since = timeArg(params['since'], 'since');
        const window = state.candles(pair.id, interval).slice(-OHLC_WINDOW);
        const rows = window.filter((c) => since === undefined || c.openTime > since);
        // The newest entry (the frame still forming on the real exchange) is always there, whatever `since` says.
        const newest = window[window.length - 1];
        if (newest && rows[rows.length - 1] !== newest) rows.push(newest);
        const committed = window[window.length - 2] ?? newest;
        return {
          [pair.id]: rows.map((c) => ohlcRow(c, pair)),
          last: committed ? seconds(committed.openTime) : 0,
        };
      },
    ],
    [
      'POST /0/private/Balance',
      () =>
        Object.fromEntries(
          state.allBalances().map((b) => [b.asset, fmt(b.total, assets[b.asset]?.decimals ?? 8)] as const),
        ),
    ],
    [
      'POST /0/private/BalanceEx',
      () =>
        Object.fromEntries(
          state.allBalances().map((b) => {
            const decimals = assets[b.asset]?.decimals ?? 8;
            return [b.asset, { balance: fmt(b.total, decimals), hold_trade: fmt(b.hold, decimals) }] as const;
          }),
        ),
    ],
    [
      'POST /0/private/AddOrder',
      (params) => {
        for (const unsupported of ['leverage', 'reduce_only', 'price2', 'close[ordertype]', 'starttm', 'expiretm']) {
          if (params[unsupported] !== undefined) throw KRAKEN_ERRORS.invalidArguments(unsupported);
        }
        const { order, validated } = state.newOrder({
          pair: params['pair'] ?? '',
          side: params['type'] ?? '',
          ordertype: params['ordertype'] ?? '',
          volume: params['volume'],
          price: params['price'],
          clOrdId: params['cl_ord_id'],
          userref: params['userref'],
          oflags: params['oflags'],
          timeinforce: params['timeinforce'],
          validate: flag(params['validate']),
        });
        const descr = { order: describe(state, order) };
        return validated ? { descr } : { descr, txid: [order.txid] };
      },
    ],
    [
      'POST /0/private/QueryOrders',
      (params) => {
        const txids = listArg(params['txid']);
        if (!txids || txids.length > 50) throw KRAKEN_ERRORS.invalidArguments('txid');
        if (txids.some((id) => !KRAKEN_TXID.test(id))) throw KRAKEN_ERRORS.invalidOrder();
        const found = txids.map((id) => state.findOrder(id)).filter((o): o is KrakenStoredOrder => o !== undefined);
        return orderMap(ordersMatching(found, params), params);
      },
    ],
    [
      'POST /0/private/OpenOrders',
      (params) => ({ open: orderMap(ordersMatching(state.openOrders(), params), params) }),
    ],
    [
      'POST /0/private/ClosedOrders',
      (params) => {
        const start = timeArg(params['start'], 'start');
        const end = timeArg(params['end'], 'end');
        const byClose = (params['closetime'] ?? 'both') === 'close';
        const matching = ordersMatching(state.closedOrders(), params)
          .filter((o) => {
            const t = byClose ? (o.closeTime as number) : o.openTime;
            return (start === undefined || t > start) && (end === undefined || t <= end);
          })
          .reverse();
        const ofs = Number(params['ofs'] ?? 0);
        return { closed: orderMap(matching.slice(ofs, ofs + PAGE), params), count: matching.length };
      },
    ],
    [
      'POST /0/private/CancelOrder',
      (params) => {
        const clOrdId = params['cl_ord_id'];
        const txid = params['txid'];
        if (clOrdId !== undefined) {
          state.cancel(clOrdId, 'User requested', true);
          return { count: 1 };
        }
        if (txid === undefined) throw KRAKEN_ERRORS.invalidArguments('txid');
        if (/^-?\d{1,10}$/.test(txid)) {
          // a userref cancels every open order carrying it
          const tagged = state.openOrders().filter((o) => o.userref === Number(txid));
          for (const o of tagged) state.cancel(o.txid);
          return { count: tagged.length };
        }
        if (!KRAKEN_TXID.test(txid)) throw KRAKEN_ERRORS.invalidOrder();
        state.cancel(txid);
        return { count: 1 };
      },
    ],
    [
      'POST /0/private/TradesHistory',
      (params) => {
        const start = timeArg(params['start'], 'start');
        const end = timeArg(params['end'], 'end');
        const matching = state.trades
          .filter((t) => (start === undefined || t.time > start) && (end === undefined || t.time <= end))
          .reverse();
        const ofs = Number(params['ofs'] ?? 0);
        return {
          trades: Object.fromEntries(matching.slice(ofs, ofs + PAGE).map((t) => [t.id, tradeInfo(state, t)])),
          count: matching.length,
        };
      },
    ],
    [
      'POST /0/private/QueryTrades',
      (params) => {
        const txids = listArg(params['txid']);
        if (!txids || txids.length > 20) throw KRAKEN_ERRORS.invalidArguments('txid');
        if (txids.some((id) => !KRAKEN_TXID.test(id))) throw KRAKEN_ERRORS.invalidArguments('txid');
        return Object.fromEntries(
          state.trades.filter((t) => txids.includes(t.id)).map((t) => [t.id, tradeInfo(state, t)]),
        );
      },
    ],
  ]);
}

function tickerOf(state: LoopbackKrakenState, pair: KrakenPair) {
  const decimals = Math.max(5, pair.pairDecimals);
  const price = fmt(state.price(pair.id), decimals);
  const stats = pair.id === 'XBTUSDT' ? recorded.tickerXbtUsdt.httpResponse.result.XBTUSDT : undefined;
  return {
    a: [price, '1', '1.000'],
    b: [price, '1', '1.000'],
    c: [price, stats?.c[1] ?? '0.00000000'],
    v: stats?.v ?? ['0.00000000', '0.00000000'],
    p: stats?.p ?? [price, price],
    t: stats?.t ?? [0, 0],
    l: stats?.l ?? [price, price],
    h: stats?.h ?? [price, price],
    o: stats?.o ?? price,
  };
}

function ohlcRow(c: KrakenCandle, pair: KrakenPair) {
  const price = (value: string) => fmt(new DecimalJs(value), pair.pairDecimals);
  return [
    seconds(c.openTime),
    price(c.open),
    price(c.high),
    price(c.low),
    price(c.close),
    price(c.vwap ?? c.close),
    fmt(new DecimalJs(c.volume), 8),
    c.count ?? 0,
  ];
}

function describe(state: LoopbackKrakenState, order: KrakenStoredOrder): string {
  const pair = state.pairs.get(order.pair) as KrakenPair;
  const where = order.type === 'market' ? 'market' : `limit ${order.price.toFixed(pair.pairDecimals)}`;
  return `${order.side} ${order.vol.toFixed(pair.lotDecimals)} ${pair.altname} @ ${where}`;
}

function orderInfo(state: LoopbackKrakenState, order: KrakenStoredOrder, withTrades: boolean) {
  const pair = state.pairs.get(order.pair) as KrakenPair;
  const average = order.volExec.isZero() ? new DecimalJs(0) : order.cost.div(order.volExec);
  return {
    refid: null,
    userref: order.userref ?? (order.clOrdId !== undefined ? null : 0),
    ...(order.clOrdId !== undefined ? { cl_ord_id: order.clOrdId } : {}),
    status: order.status,
    opentm: seconds(order.openTime),
    starttm: 0,
    expiretm: 0,
    descr: {
      pair: pair.altname,
      type: order.side,
      ordertype: order.type,
      price: order.type === 'limit' ? order.price.toFixed(pair.pairDecimals) : '0',
      price2: '0',
      leverage: 'none',
      order: describe(state, order),
      close: '',
    },
    vol: order.vol.toFixed(pair.lotDecimals),
    vol_exec: order.volExec.toFixed(pair.lotDecimals),
    cost: fmt(order.cost, pair.costDecimals),
    fee: fmt(order.fee, pair.costDecimals),
    price: fmt(average, pair.pairDecimals),
    stopprice: '0.00000',
    limitprice: '0.00000',
    misc: '',
    oflags: order.oflags,
    ...(withTrades && order.trades.length ? { trades: [...order.trades] } : {}),
    reason: order.reason,
    ...(order.closeTime !== undefined && order.status !== 'open' ? { closetm: seconds(order.closeTime) } : {}),
  };
}

function tradeInfo(state: LoopbackKrakenState, trade: KrakenStoredTrade) {
  const pair = state.pairs.get(trade.pair) as KrakenPair;
  return {
    ordertxid: trade.ordertxid,
    postxid: trade.postxid,
    pair: pair.id,
    time: seconds(trade.time),
    type: trade.side,
    ordertype: trade.ordertype,
    price: fmt(trade.price, pair.pairDecimals),
    cost: fmt(trade.cost, pair.costDecimals),
    fee: fmt(trade.fee, pair.costDecimals),
    vol: trade.vol.toFixed(pair.lotDecimals),
    margin: '0.00000',
    leverage: '0',
    misc: '',
    trade_id: trade.tradeId,
    maker: trade.maker,
  };
}
