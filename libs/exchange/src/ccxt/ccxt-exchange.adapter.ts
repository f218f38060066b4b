import type { Exchange, MarketInterface as CcxtMarket, Order as CcxtOrder, Trade as CcxtTrade } from 'ccxt';
import Decimal from 'decimal.js';
import { inspect } from 'node:util';
import { optionalDecimalString, toDecimalString } from '../decimal-string';
import {
  ExchangeError,
  ExchangeFinalError,
  OrderNotPlacedError,
  OrderOutcomeUnknownError,
} from '../errors/exchange.error';
import type {
  Balances,
  Candle,
  CreateOrderRequest,
  ExchangeOrder,
  ExchangePort,
  ExchangeTrade,
  Fee,
  MarketInfo,
  OrderRef,
  OrderStatus,
  Ticker,
} from '../exchange.port';
import { assertOrderWithinLimits } from '../order-limits';
import { mapCcxtError } from './ccxt-error.mapper';
import { loadCcxt, toCcxtRealm } from './ccxt-loader';

export interface CcxtExchangeAdapterOptions {
  /** Any ccxt exchange id: 'binance', 'kraken', ... */
  exchangeId: string;
  apiKey?: string;
  secret?: string;
  password?: string;
  /** ccxt's token-bucket rate limiter; on unless explicitly switched off (tests against a loopback server). */
  enableRateLimit?: boolean;
  /** Per-request timeout in ms (ccxt default 10 000). */
  timeoutMs?: number;
  /** Deep-merged into ccxt's `urls` (point the client at a loopback server); applied after `sandbox`, so it wins. */
  urls?: Record<string, unknown>;
  /** The exchange's test network (ccxt `setSandboxMode(true)`), e.g. for a key flagged testnet. */
  sandbox?: boolean;
  /** Deep-merged into ccxt's `options`. */
  options?: Record<string, unknown>;
  /** Lookups by client order id after a createOrder whose outcome is unknown. */
  orderLookup?: { attempts?: number; delayMs?: number };
  sleep?: (ms: number) => Promise<void>;
}

const ORDER_STATUSES: ReadonlySet<string> = new Set(['open', 'closed', 'canceled', 'rejected', 'expired']);
const BALANCE_META_KEYS: ReadonlySet<string> = new Set([
  'info',
  'free',
  'used',
  'total',
  'timestamp',
  'datetime',
  'debt',
]);
const TICK_SIZE = 4;
const DECIMAL_PLACES = 2;

/**
 * What ccxt's unified calls do not hide about an exchange, limited to what this adapter relies on.
 * Checked against ccxt 4.5's binance and kraken classes and the loopback servers of libs/testing.
 */
interface CcxtDialect {
  /** The param naming our client order id in fetchOrder and cancelOrder. */
  lookupParam: string;
  /** ccxt's fetchOrder cannot find an order by client order id: look among open, then closed orders. */
  lookupAmongOpenAndClosed: boolean;
  /** ccxt's fetchOrderTrades needs the order's trade ids (`params.trades`), read from the order itself. */
  orderTradesNeedTradeIds: boolean;
  /** ccxt's nonce is the clock in ms: two private calls within a millisecond would share one, and the exchange refuses the second. */
  monotonicNonce: boolean;
  /**
   * Private requests one at a time per client: the exchange checks each nonce against the last one it saw, so a
   * request with a lower nonce reaching it after a higher one (two calls in flight, a slow connection) is refused.
   */
  serializePrivateCalls: boolean;
  /** Sent with every createOrder, next to our client order id. */
  createParams: Readonly<Record<string, string>>;
}

const DEFAULT_DIALECT: CcxtDialect = {
  lookupParam: 'clientOrderId',
  lookupAmongOpenAndClosed: false,
  orderTradesNeedTradeIds: false,
  monotonicNonce: false,
  serializePrivateCalls: false,
  createParams: {},
};

function dialectOf(exchangeId: string): CcxtDialect {
  // Binance names the lookup parameter origClientOrderId (all its ccxt classes: binance, binanceus, binanceusdm...).
  if (exchangeId.startsWith('binance')) return { ...DEFAULT_DIALECT, lookupParam: 'origClientOrderId' };
  // ccxt's kraken.fetchOrder sends a client order id as the integer `userref` next to a required txid, and its
  // fetchOrderTrades needs the trade ids; Kraken's OpenOrders and ClosedOrders filter by `cl_ord_id`, which is
  // what kraken.createOrder sends our client order id as. Kraken refuses a nonce not above the last one. Kraken
  // takes a sell's fee in the base currency unless told otherwise (oflags fcib is its default for sells): fciq keeps
  // every fee in the quote currency, so a sell of a whole position needs no base left over for its fee.
  if (exchangeId === 'kraken')
    return { ...DEFAULT_DIALECT, lookupAmongOpenAndClosed: true, orderTradesNeedTradeIds: true, monotonicNonce: true, serializePrivateCalls: true, createParams: { oflags: 'fciq' } };
  return DEFAULT_DIALECT;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * ExchangePort over any ccxt exchange.
 *
 * Idempotency of createOrder: every order carries the caller's client order id.
 * When the request fails without a definite answer (timeout, dropped
 * connection, 5xx, "execution status unknown") the adapter never sends it
 * again; it looks the order up by client order id and returns it if found.
 * If the exchange says no such order exists, it throws OrderNotPlacedError
 * (retryable: the caller may resend with the same client order id). If the
 * lookup fails too, it throws OrderOutcomeUnknownError (final: reconcile later
 * with fetchOrder({ symbol, clientOrderId }), never resend).
 */
export class CcxtExchangeAdapter implements ExchangePort {
  readonly exchangeId: string;
  private client: Exchange | undefined;
  private markets: Record<string, MarketInfo> | undefined;
  private readonly secrets: ReadonlyArray<string | undefined>;
  private readonly lookupAttempts: number;
  private readonly lookupDelayMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly dialect: CcxtDialect;

  constructor(private readonly config: CcxtExchangeAdapterOptions) {
    this.exchangeId = config.exchangeId;
    this.dialect = dialectOf(config.exchangeId);
    this.secrets = [config.apiKey, config.secret, config.password];
    this.lookupAttempts = Math.max(1, config.orderLookup?.attempts ?? 3);
    this.lookupDelayMs = config.orderLookup?.delayMs ?? 500;
    this.sleep = config.sleep ?? defaultSleep;
  }

  async loadMarkets(reload = false): Promise<Record<string, MarketInfo>> {
    if (this.markets && !reload) return this.markets;
    const client = this.ccxt();
    const raw = await this.call(() => client.loadMarkets(reload));
    const markets: Record<string, MarketInfo> = {};
    for (const market of Object.values(raw)) {
      if (market) markets[market.symbol] = this.toMarketInfo(market, Number(client.precisionMode));
    }
    this.markets = markets;
    return markets;
  }

  async fetchBalance(): Promise<Balances> {
    const client = this.ccxt();
    const raw = await this.call(() => client.fetchBalance());
    const balances: Balances = {};
    for (const [currency, entry] of Object.entries(raw)) {
      if (BALANCE_META_KEYS.has(currency) || !entry || typeof entry !== 'object') continue;
      const { free, used, total } = entry as { free?: number; used?: number; total?: number };
      balances[currency] = {
        free: toDecimalString(free ?? 0),
        used: toDecimalString(used ?? 0),
        total: toDecimalString(total ?? 0),
      };
    }
    return balances;
  }

  async createOrder(request: CreateOrderRequest): Promise<ExchangeOrder> {
    const { symbol, type, side, clientOrderId } = request;
    if (!clientOrderId) throw new ExchangeFinalError('invalid_order', 'createOrder needs a clientOrderId');
    const market = await this.market(symbol);
    const client = this.ccxt();
    const amount = this.rounded(() => client.amountToPrecision(symbol, request.amount));
    let price: string | undefined;
    if (type === 'limit') {
      const limitPrice = request.price;
      if (limitPrice === undefined)
        throw new ExchangeFinalError('invalid_order', `limit order ${clientOrderId} has no price`);
      price = this.rounded(() => client.priceToPrecision(symbol, limitPrice));
    }
    const notionalPrice = price ?? request.referencePrice ?? (await this.fetchTicker(symbol)).last;
    assertOrderWithinLimits(market, amount, notionalPrice, clientOrderId);

    let order: CcxtOrder;
    try {
      order = await client.createOrder(
        symbol,
        type,
        side,
        Number(amount),
        price === undefined ? undefined : Number(price),
        { clientOrderId, ...this.dialect.createParams },
      );
    } catch (error) {
      const mapped = mapCcxtError(error, this.secrets);
      if (!outcomeIsUnknown(mapped)) throw mapped;
      return this.resolveUnknownCreate(symbol, clientOrderId, mapped);
    }
    const sent = { symbol, type, side, amount, price, clientOrderId };
    if (order.status || !order.id) return this.toOrder(order, sent);
    // An acknowledgement without state (Kraken answers AddOrder with the txid only): the order as it stands now.
    try {
      return this.toOrder(await client.fetchOrder(order.id, symbol), sent);
    } catch {
      return this.toOrder(order, sent);
    }
  }

  async cancelOrder(ref: OrderRef): Promise<ExchangeOrder> {
    await this.market(ref.symbol);
    const client = this.ccxt();
    const order = await this.call(() =>
      ref.clientOrderId !== undefined
        ? client.cancelOrder('', ref.symbol, { [this.dialect.lookupParam]: ref.clientOrderId })
        : client.cancelOrder(ref.id as string, ref.symbol),
    );
    // Binance answers a cancel with the cancel request's own clientOrderId (ccxt reports that one); the order's is
    // origClientOrderId.
    if (order.id && order.status) return { ...this.toOrder(order), clientOrderId: ref.clientOrderId ?? originalClientOrderId(order) ?? order.clientOrderId ?? '' };
    // Some exchanges answer a cancel with a count only (Kraken: { count: 1 }): the order's state is looked up.
    try {
      return await this.fetchOrder(ref);
    } catch (error) {
      if (order.id) return this.toOrder(order);
      throw error;
    }
  }

  async fetchOrder(ref: OrderRef): Promise<ExchangeOrder> {
    await this.market(ref.symbol);
    const client = this.ccxt();
    const order = await this.call(() =>
      ref.clientOrderId !== undefined
        ? this.findByClientOrderId(client, ref.symbol, ref.clientOrderId)
        : client.fetchOrder(ref.id as string, ref.symbol),
    );
    return this.toOrder(order);
  }

  /** The fills of one order (by the exchange's order id). */
  async fetchOrderTrades(ref: { symbol: string; id: string }): Promise<ExchangeTrade[]> {
    await this.market(ref.symbol);
    const client = this.ccxt();
    const trades = await this.call(async () => {
      if (!this.dialect.orderTradesNeedTradeIds) return client.fetchOrderTrades(ref.id, ref.symbol);
      const order = await client.fetchOrder(ref.id, ref.symbol);
      const tradeIds = (order.trades ?? []).map((trade) => trade.id).filter((id): id is string => !!id);
      if (!tradeIds.length) return [];
      return client.fetchOrderTrades(ref.id, ref.symbol, undefined, undefined, { trades: tradeIds });
    });
    return trades.map((trade) => toTrade(trade));
  }

  async fetchOpenOrders(symbol?: string): Promise<ExchangeOrder[]> {
    if (symbol !== undefined) await this.market(symbol);
    const client = this.ccxt();
    const orders = await this.call(() => client.fetchOpenOrders(symbol));
    return orders.map((order) => this.toOrder(order));
  }

  async fetchMyTrades(symbol: string, since?: number, limit?: number): Promise<ExchangeTrade[]> {
    await this.market(symbol);
    const client = this.ccxt();
    const trades = await this.call(() => client.fetchMyTrades(symbol, since, limit));
    return trades.map((trade) => toTrade(trade));
  }

  async fetchOHLCV(symbol: string, timeframe: string, since?: number, limit?: number): Promise<Candle[]> {
    await this.market(symbol);
    const client = this.ccxt();
    const rows = await this.call(() => client.fetchOHLCV(symbol, timeframe, since, limit));
    return rows.map(([timestamp, open, high, low, close, volume]) => ({
      timestamp: Number(timestamp),
      open: toDecimalString(open ?? 0),
      high: toDecimalString(high ?? 0),
      low: toDecimalString(low ?? 0),
      close: toDecimalString(close ?? 0),
      volume: toDecimalString(volume ?? 0),
    }));
  }

  async fetchTicker(symbol: string): Promise<Ticker> {
    await this.market(symbol);
    const client = this.ccxt();
    const ticker = await this.call(() => client.fetchTicker(symbol));
    const last = ticker.last ?? ticker.close;
    if (last === undefined || last === null)
      throw new ExchangeFinalError('unknown', `ticker for ${symbol} has no last price`);
    return {
      symbol,
      timestamp: ticker.timestamp ?? Date.now(),
      last: toDecimalString(last),
      bid: optionalDecimalString(ticker.bid),
      ask: optionalDecimalString(ticker.ask),
    };
  }

  async close(): Promise<void> {
    const client = this.client as (Exchange & { close?: () => Promise<void> }) | undefined;
    this.client = undefined;
    if (client?.close) await client.close();
  }

  toJSON(): Record<string, unknown> {
    return { exchangeId: this.exchangeId };
  }

  [inspect.custom](): string {
    return `CcxtExchangeAdapter(${this.exchangeId})`;
  }

  private ccxt(): Exchange {
    if (this.client) return this.client;
    const ccxt = loadCcxt() as unknown as Record<string, new (config: Record<string, unknown>) => Exchange>;
    const ExchangeClass = ccxt[this.exchangeId];
    if (typeof ExchangeClass !== 'function' || !(ExchangeClass.prototype instanceof loadCcxt().Exchange)) {
      throw new ExchangeFinalError('unknown', `ccxt has no exchange '${this.exchangeId}'`);
    }
    const config: Record<string, unknown> = { enableRateLimit: this.config.enableRateLimit ?? true };
    if (this.config.apiKey !== undefined) config['apiKey'] = this.config.apiKey;
    if (this.config.secret !== undefined) config['secret'] = this.config.secret;
    if (this.config.password !== undefined) config['password'] = this.config.password;
    if (this.config.timeoutMs !== undefined) config['timeout'] = this.config.timeoutMs;
    if (this.config.urls) config['urls'] = this.config.urls;
    // fetchOpenOrders() without a symbol is a deliberate choice of the caller (one call instead of one per pair).
    config['options'] = {
      warnOnFetchOpenOrdersWithoutSymbol: false,
      fetchOpenOrders: { warnWithoutSymbol: false },
      ...this.config.options,
    };
    const client = new ExchangeClass(toCcxtRealm(config));
    if (this.dialect.serializePrivateCalls) serializePrivateRequests(client);
    if (this.dialect.monotonicNonce) {
      const clockNonce = client.nonce.bind(client);
      let last = 0;
      client.nonce = () => (last = Math.max(Number(clockNonce()), last + 1));
    }
    if (this.config.sandbox) {
      try {
        client.setSandboxMode(true);
      } catch (error) {
        throw mapCcxtError(error, this.secrets);
      }
      // setSandboxMode replaces urls.api with the test network's: an explicit override (a proxy) still wins.
      if (this.config.urls) client.urls = client.deepExtend(client.urls, toCcxtRealm(this.config.urls));
    }
    this.client = client;
    return client;
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw mapCcxtError(error, this.secrets);
    }
  }

  private rounded(fn: () => string | undefined): string {
    let value: string | undefined;
    try {
      value = fn();
    } catch (error) {
      throw mapCcxtError(error, this.secrets);
    }
    if (value === undefined)
      throw new ExchangeFinalError('invalid_order', 'amount or price could not be rounded to the market precision');
    return value;
  }

  private async market(symbol: string): Promise<MarketInfo> {
    const markets = await this.loadMarkets();
    const market = markets[symbol];
    if (!market) throw new ExchangeFinalError('invalid_order', `${this.exchangeId} has no market ${symbol}`);
    return market;
  }

  private async findByClientOrderId(client: Exchange, symbol: string, clientOrderId: string): Promise<CcxtOrder> {
    if (!this.dialect.lookupAmongOpenAndClosed)
      return client.fetchOrder('', symbol, { [this.dialect.lookupParam]: clientOrderId });
    // Open first: an order that closes between the two requests is then found among the closed ones.
    const params = { [this.dialect.lookupParam]: clientOrderId };
    const open = await client.fetchOpenOrders(symbol, undefined, undefined, params);
    const found = open.find((order) => order.clientOrderId === clientOrderId);
    if (found) return found;
    const closed = await client.fetchClosedOrders(symbol, undefined, undefined, params);
    // A client order id may be reused once its order is closed: the newest one wins.
    const newest = closed
      .filter((order) => order.clientOrderId === clientOrderId)
      .sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0))
      .pop();
    if (newest) return newest;
    throw new ExchangeFinalError(
      'order_not_found',
      `${this.exchangeId} has no order with client order id ${clientOrderId}`,
    );
  }

  private async resolveUnknownCreate(
    symbol: string,
    clientOrderId: string,
    original: ExchangeError,
  ): Promise<ExchangeOrder> {
    let lastLookupError: ExchangeError | undefined;
    for (let attempt = 0; attempt < this.lookupAttempts; attempt++) {
      if (attempt > 0) await this.sleep(this.lookupDelayMs);
      try {
        return await this.fetchOrder({ symbol, clientOrderId });
      } catch (error) {
        const mapped = error instanceof ExchangeError ? error : mapCcxtError(error, this.secrets);
        if (mapped instanceof ExchangeFinalError && mapped.code === 'order_not_found') {
          throw new OrderNotPlacedError(
            clientOrderId,
            `order ${clientOrderId} was not placed (${original.message}); safe to resend with the same client order id`,
          );
        }
        if (!mapped.retryable) {
          throw new OrderOutcomeUnknownError(
            clientOrderId,
            `order ${clientOrderId}: outcome unknown (${original.message}; lookup: ${mapped.message})`,
          );
        }
        lastLookupError = mapped;
      }
    }
    throw new OrderOutcomeUnknownError(
      clientOrderId,
      `order ${clientOrderId}: outcome unknown after ${this.lookupAttempts} lookups (${original.message}; lookup: ${lastLookupError?.message})`,
    );
  }

  private toMarketInfo(market: CcxtMarket, precisionMode: number): MarketInfo {
    const step = (precision: number | undefined): string | undefined => {
      if (precision === undefined || precision === null) return undefined;
      if (precisionMode === TICK_SIZE) return toDecimalString(precision);
      if (precisionMode === DECIMAL_PLACES) return new Decimal(10).pow(-precision).toFixed();
      return undefined;
    };
    return {
      symbol: market.symbol,
      base: market.base,
      quote: market.quote,
      priceTick: step(market.precision?.price),
      amountStep: step(market.precision?.amount),
      minAmount: optionalDecimalString(market.limits?.amount?.min),
      maxAmount: optionalDecimalString(market.limits?.amount?.max),
      minNotional: optionalDecimalString(market.limits?.cost?.min),
      makerFee: toDecimalString(market.maker ?? 0),
      takerFee: toDecimalString(market.taker ?? 0),
    };
  }

  private toOrder(
    order: CcxtOrder,
    sent?: { symbol: string; type: string; side: string; amount: string; price?: string; clientOrderId: string },
  ): ExchangeOrder {
    if (!order.id) throw new ExchangeFinalError('unknown', `${this.exchangeId} returned an order without id`);
    const amount = optionalDecimalString(order.amount) ?? sent?.amount ?? '0';
    const filled = optionalDecimalString(order.filled) ?? '0';
    const type = (order.type ?? sent?.type) === 'market' ? 'market' : 'limit';
    const fees: Fee[] = [];
    const rawFees = (order as CcxtOrder & { fees?: CcxtOrder['fee'][] }).fees ?? (order.fee ? [order.fee] : []);
    for (const fee of rawFees) {
      if (fee?.currency && fee.cost !== undefined && fee.cost !== null)
        fees.push({ currency: fee.currency, cost: toDecimalString(fee.cost) });
    }
    return {
      id: String(order.id),
      clientOrderId: order.clientOrderId ?? sent?.clientOrderId ?? '',
      symbol: order.symbol ?? sent?.symbol ?? '',
      type,
      side: (order.side ?? sent?.side) === 'sell' ? 'sell' : 'buy',
      status: toStatus(order.status),
      amount,
      filled,
      remaining: optionalDecimalString(order.remaining) ?? new Decimal(amount).minus(filled).toFixed(),
      price: type === 'limit' ? (optionalDecimalString(order.price) ?? sent?.price) : undefined,
      average: order.average ? toDecimalString(order.average) : undefined,
      cost: optionalDecimalString(order.cost) ?? '0',
      fees,
      timestamp: order.timestamp ?? order.lastTradeTimestamp ?? Date.now(),
    };
  }
}

/**
 * Wraps ccxt's request path (throttle, sign with a fresh nonce, send) so a client's private requests run one after
 * another: each is signed only once the one before was answered, so nonces reach the exchange in order.
 */
function serializePrivateRequests(client: Exchange): void {
  const fetch2 = client.fetch2.bind(client) as (...args: unknown[]) => Promise<unknown>;
  let last: Promise<unknown> = Promise.resolve();
  (client as unknown as { fetch2: (...args: unknown[]) => Promise<unknown> }).fetch2 = (...args: unknown[]) => {
    if (args[1] !== 'private') return fetch2(...args);
    const request = last.then(() => fetch2(...args));
    last = request.catch(() => undefined);
    return request;
  };
}

/** The order's own client order id in an answer that names another one (Binance's cancel: `origClientOrderId`). */
function originalClientOrderId(order: CcxtOrder): string | undefined {
  const info = order.info as Record<string, unknown> | undefined;
  return typeof info?.origClientOrderId === 'string' ? info.origClientOrderId : undefined;
}

function toStatus(status: string | undefined): OrderStatus {
  return status && ORDER_STATUSES.has(status) ? (status as OrderStatus) : 'open';
}

function toTrade(trade: CcxtTrade): ExchangeTrade {
  const amount = toDecimalString(trade.amount ?? 0);
  const price = toDecimalString(trade.price ?? 0);
  return {
    id: String(trade.id ?? ''),
    orderId: String(trade.order ?? ''),
    symbol: trade.symbol ?? '',
    side: trade.side === 'sell' ? 'sell' : 'buy',
    amount,
    price,
    cost: optionalDecimalString(trade.cost) ?? new Decimal(amount).times(price).toFixed(),
    fee: { currency: trade.fee?.currency ?? '', cost: toDecimalString(trade.fee?.cost ?? 0) },
    takerOrMaker: trade.takerOrMaker === 'maker' ? 'maker' : 'taker',
    timestamp: trade.timestamp ?? 0,
  };
}

/** A timeout or dropped connection says nothing about whether the order was accepted. */
function outcomeIsUnknown(error: ExchangeError): boolean {
  return error.retryable || (error instanceof ExchangeFinalError && error.code === 'unknown');
}
