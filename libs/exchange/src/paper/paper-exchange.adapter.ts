import type Decimal from 'decimal.js';
import { assertOrderWithinLimits } from '../order-limits';
import { ExchangeFinalError } from '../errors/exchange.error';
import type {
  Balances,
  Candle,
  CreateOrderRequest,
  ExchangeOrder,
  ExchangePort,
  ExchangeTrade,
  MarketInfo,
  OrderRef,
  OrderSide,
  OrderStatus,
  OrderType,
  Ticker,
  TakerOrMaker,
} from '../exchange.port';
import { computeFee, FillDecimal, fillLimitOrder, fillMarketAtPrice, fillMarketOrder } from '../fill-model';
import type { FeeSchedule, FillCandle, ModelFill, SlippageSettings } from '../fill-model';

export interface PaperExchangeOptions {
  /** Pairs this account may trade, with their fees and lot rules. */
  markets: MarketInfo[];
  /** Starting free balance per asset. */
  balances: Record<string, string>;
  exchangeId?: string;
  slippage?: SlippageSettings;
  /** Fraction of a candle's volume a limit order may take (1 = all of it). Default 1. */
  participation?: string;
  /**
   * 'spot' (default): no balance ever goes negative. 'margin': sells need no
   * base (a short is a negative base balance); buys still need the quote.
   */
  mode?: 'spot' | 'margin';
  /** Candles kept per symbol and timeframe for fetchOHLCV. Default 1000. */
  candleHistory?: number;
}

interface PaperOrder {
  id: string;
  clientOrderId: string;
  symbol: string;
  type: OrderType;
  side: OrderSide;
  status: OrderStatus;
  amount: Decimal;
  filled: Decimal;
  price?: Decimal;
  cost: Decimal;
  fee: Decimal;
  timestamp: number;
  /** Balance held for the unfilled part: quote for buys, base for spot sells. */
  reserved: Decimal;
  /** A limit order that would cross the price known when it was placed fills as taker. */
  liquidity: TakerOrMaker;
}

interface PaperTrade {
  id: string;
  orderId: string;
  clientOrderId: string;
  symbol: string;
  side: OrderSide;
  amount: Decimal;
  price: Decimal;
  fee: Decimal;
  feeCurrency: string;
  takerOrMaker: TakerOrMaker;
  timestamp: number;
}

interface AssetBalance {
  free: Decimal;
  used: Decimal;
}

export interface PaperExchangeSnapshot {
  version: 1;
  clock: number;
  sequence: number;
  balances: Record<string, { free: string; used: string }>;
  lastPrices: Record<string, string>;
  orders: Array<
    Omit<ExchangeOrder, 'fees' | 'remaining' | 'average'> & { fee: string; reserved: string; liquidity: TakerOrMaker }
  >;
  trades: ExchangeTrade[];
}

// 40 significant digits (the fill model's precision): balances never round.
const D = (value: Decimal.Value): Decimal => new FillDecimal(value);

/**
 * A paper account on the ExchangePort: one instance per bot. It fills against
 * the prices the platform feeds it (onCandle / onTicker), through the shared
 * fill model, so a given feed always gives the same fills.
 *
 * - Market orders fill at the next price: the next candle's open (with the
 *   model's slippage, volume impact from that candle) or the next ticker.
 * - Limit orders fill when a later candle crosses them, at most
 *   `participation * volume` per candle (partial fills), at the limit or
 *   better; the rest stays open. A ticker crossing fills them in full.
 * - Fill prices are moved onto the pair's tick against the order (a slipped
 *   buy at 101.1013 with tick 0.01 fills at 101.11).
 * - Fees are the pair's maker/taker rates, charged in the quote currency.
 * - Funds are reserved when an order is placed; a spot balance never goes negative.
 */
export class PaperExchangeAdapter implements ExchangePort {
  readonly exchangeId: string;
  private readonly markets: Record<string, MarketInfo>;
  private readonly balances = new Map<string, AssetBalance>();
  private readonly orders = new Map<string, PaperOrder>();
  private readonly trades: PaperTrade[] = [];
  private readonly lastPrices = new Map<string, Decimal>();
  private readonly candles = new Map<string, Candle[]>();
  private clock = 0;
  private sequence = 0;

  constructor(private readonly options: PaperExchangeOptions) {
    this.exchangeId = options.exchangeId ?? 'paper';
    this.markets = Object.fromEntries(options.markets.map((m) => [m.symbol, m]));
    for (const [asset, free] of Object.entries(options.balances)) {
      this.balances.set(asset, { free: nonNegativeDecimal(free, `balance ${asset}`), used: D(0) });
    }
  }

  // ---- feed ----

  /** A new candle for `symbol`: pending market orders fill at its open, resting limits against its range. Returns the fills. */
  onCandle(symbol: string, candle: Candle, timeframe = '1m'): ExchangeTrade[] {
    this.clock = Math.max(this.clock, candle.timestamp);
    const fillCandle: FillCandle = candle;
    const trades: PaperTrade[] = [];
    for (const order of this.openOrdersOf(symbol)) {
      const fees = this.feeSchedule(symbol);
      if (order.type === 'market') {
        const fill = fillMarketOrder({
          side: order.side,
          qty: this.remaining(order),
          candle: fillCandle,
          slippage: this.options.slippage,
          fees,
        });
        trades.push(...this.apply(order, fill, candle.timestamp));
      } else {
        const fill = fillLimitOrder({
          side: order.side,
          qty: this.remaining(order),
          limit: order.price as Decimal,
          candle: fillCandle,
          participation: this.options.participation ?? '1',
          lotStep: this.markets[symbol]?.amountStep,
          liquidity: order.liquidity,
          fees,
        });
        if (fill) trades.push(...this.apply(order, fill, candle.timestamp));
      }
    }
    this.lastPrices.set(symbol, D(candle.close));
    this.remember(symbol, timeframe, candle);
    return trades.map((t) => this.tradeView(t));
  }

  /** A new ticker: pending market orders fill at its last price, crossed limits in full. Returns the fills. */
  onTicker(ticker: Ticker): ExchangeTrade[] {
    this.clock = Math.max(this.clock, ticker.timestamp);
    const last = D(ticker.last);
    const trades: PaperTrade[] = [];
    for (const order of this.openOrdersOf(ticker.symbol)) {
      const fees = this.feeSchedule(ticker.symbol);
      if (order.type === 'market') {
        const fill = fillMarketAtPrice({
          side: order.side,
          qty: this.remaining(order),
          referencePrice: last,
          slippage: this.options.slippage,
          fees,
        });
        trades.push(...this.apply(order, fill, ticker.timestamp));
      } else {
        const point = { open: last, high: last, low: last, close: last, volume: 0 };
        const fill = fillLimitOrder({
          side: order.side,
          qty: this.remaining(order),
          limit: order.price as Decimal,
          candle: point,
          liquidity: order.liquidity,
          fees,
        });
        if (fill) trades.push(...this.apply(order, fill, ticker.timestamp));
      }
    }
    this.lastPrices.set(ticker.symbol, last);
    return trades.map((t) => this.tradeView(t));
  }

  // ---- ExchangePort ----

  async loadMarkets(): Promise<Record<string, MarketInfo>> {
    return { ...this.markets };
  }

  async fetchBalance(): Promise<Balances> {
    const balances: Balances = {};
    for (const [asset, b] of [...this.balances.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      balances[asset] = { free: b.free.toFixed(), used: b.used.toFixed(), total: b.free.plus(b.used).toFixed() };
    }
    return balances;
  }

  async createOrder(request: CreateOrderRequest): Promise<ExchangeOrder> {
    const market = this.market(request.symbol);
    const { clientOrderId, side, type } = request;
    if (!clientOrderId) throw new ExchangeFinalError('invalid_order', 'createOrder needs a clientOrderId');
    if ([...this.orders.values()].some((o) => o.clientOrderId === clientOrderId)) {
      throw new ExchangeFinalError('invalid_order', `duplicate client order id ${clientOrderId}`);
    }
    const amount = roundDownToStep(positiveDecimal(request.amount, 'amount'), market.amountStep);
    let price: Decimal | undefined;
    if (type === 'limit') {
      if (request.price === undefined)
        throw new ExchangeFinalError('invalid_order', `limit order ${clientOrderId} has no price`);
      price = roundToTick(positiveDecimal(request.price, 'price'), market.priceTick);
    }
    const last = this.lastPrices.get(request.symbol);
    // The caller's reference (its expected fill price) beats a last price that may be stale.
    const estimate = price ?? (request.referencePrice !== undefined ? D(request.referencePrice) : last);
    assertOrderWithinLimits(market, amount.toFixed(), estimate?.toFixed(), clientOrderId);

    const reserved = this.reserve(market, side, amount, estimate, clientOrderId);
    const crossesNow =
      price !== undefined && last !== undefined && (side === 'buy' ? last.lte(price) : last.gte(price));
    const order: PaperOrder = {
      id: `${this.exchangeId}-${++this.sequence}`,
      clientOrderId,
      symbol: request.symbol,
      type,
      side,
      status: 'open',
      amount,
      filled: D(0),
      price,
      cost: D(0),
      fee: D(0),
      timestamp: this.clock,
      reserved,
      liquidity: type === 'market' || crossesNow ? 'taker' : 'maker',
    };
    this.orders.set(order.id, order);
    return this.orderView(order);
  }

  async cancelOrder(ref: OrderRef): Promise<ExchangeOrder> {
    const order = this.find(ref);
    if (order.status !== 'open')
      throw new ExchangeFinalError('order_not_found', `order ${order.id} is ${order.status}, not open`);
    this.release(order);
    order.status = 'canceled';
    return this.orderView(order);
  }

  async fetchOrder(ref: OrderRef): Promise<ExchangeOrder> {
    return this.orderView(this.find(ref));
  }

  async fetchOpenOrders(symbol?: string): Promise<ExchangeOrder[]> {
    return [...this.orders.values()]
      .filter((o) => o.status === 'open' && (symbol === undefined || o.symbol === symbol))
      .map((o) => this.orderView(o));
  }

  async fetchMyTrades(symbol: string, since?: number, limit?: number): Promise<ExchangeTrade[]> {
    const trades = this.trades.filter((t) => t.symbol === symbol && (since === undefined || t.timestamp >= since));
    return (limit === undefined ? trades : trades.slice(0, limit)).map((t) => this.tradeView(t));
  }

  async fetchOHLCV(symbol: string, timeframe: string, since?: number, limit?: number): Promise<Candle[]> {
    const candles = (this.candles.get(`${symbol}|${timeframe}`) ?? []).filter(
      (c) => since === undefined || c.timestamp >= since,
    );
    return (limit === undefined ? candles : candles.slice(0, limit)).map((c) => ({ ...c }));
  }

  async fetchTicker(symbol: string): Promise<Ticker> {
    this.market(symbol);
    const last = this.lastPrices.get(symbol);
    if (!last) throw new ExchangeFinalError('unknown', `no price for ${symbol} yet: feed a candle or ticker first`);
    return { symbol, timestamp: this.clock, last: last.toFixed(), bid: last.toFixed(), ask: last.toFixed() };
  }

  async close(): Promise<void> {
    // Nothing to release: the account lives in memory until the engine snapshots it.
  }

  // ---- persistence ----

  /**
   * Forgets closed orders (filled, cancelled, rejected, expired) and their trades, so a long-lived account's
   * snapshot stays bounded: open orders and their trades always stay, and so do the newest `keepClosed` closed
   * orders and those named in `keep` (orders the caller's books still show working). Fills only depend on open
   * orders, balances, prices and the sequence, so compacting never changes what a feed fills. A forgotten order
   * is no longer found by fetchOrder, nor refused as a duplicate client order id: the caller's own records
   * (the order book in its database) answer those. Returns how many orders were dropped.
   */
  compact(options: { keepClosed: number; keep?: ReadonlySet<string> }): number {
    const closed = [...this.orders.values()].filter((o) => o.status !== 'open' && !options.keep?.has(o.clientOrderId));
    const dropped = closed.slice(0, Math.max(0, closed.length - Math.max(0, options.keepClosed)));
    if (dropped.length === 0) return 0;
    const ids = new Set(dropped.map((o) => o.id));
    for (const id of ids) this.orders.delete(id);
    const kept = this.trades.filter((t) => !ids.has(t.orderId));
    this.trades.length = 0;
    this.trades.push(...kept);
    return dropped.length;
  }

  /** Closed (no longer open) orders the account still remembers. */
  closedOrderCount(): number {
    let count = 0;
    for (const o of this.orders.values()) if (o.status !== 'open') count++;
    return count;
  }

  toJSON(): PaperExchangeSnapshot {
    return {
      version: 1,
      clock: this.clock,
      sequence: this.sequence,
      balances: Object.fromEntries(
        [...this.balances.entries()].map(([a, b]) => [a, { free: b.free.toFixed(), used: b.used.toFixed() }]),
      ),
      lastPrices: Object.fromEntries([...this.lastPrices.entries()].map(([s, p]) => [s, p.toFixed()])),
      orders: [...this.orders.values()].map((o) => {
        const view = this.orderView(o);
        return {
          id: view.id,
          clientOrderId: view.clientOrderId,
          symbol: view.symbol,
          type: view.type,
          side: view.side,
          status: view.status,
          amount: view.amount,
          filled: view.filled,
          price: view.price,
          cost: view.cost,
          timestamp: view.timestamp,
          fee: o.fee.toFixed(),
          reserved: o.reserved.toFixed(),
          liquidity: o.liquidity,
        };
      }),
      trades: this.trades.map((t) => this.tradeView(t)),
    };
  }

  /** Rebuilds an account from toJSON(); markets and settings come from the options, state from the snapshot. */
  static fromJSON(
    snapshot: PaperExchangeSnapshot,
    options: Omit<PaperExchangeOptions, 'balances'>,
  ): PaperExchangeAdapter {
    if (snapshot.version !== 1) throw new Error(`unsupported paper snapshot version ${String(snapshot.version)}`);
    const adapter = new PaperExchangeAdapter({ ...options, balances: {} });
    adapter.clock = snapshot.clock;
    adapter.sequence = snapshot.sequence;
    for (const [asset, b] of Object.entries(snapshot.balances))
      adapter.balances.set(asset, { free: D(b.free), used: D(b.used) });
    for (const [symbol, price] of Object.entries(snapshot.lastPrices)) adapter.lastPrices.set(symbol, D(price));
    for (const o of snapshot.orders) {
      adapter.orders.set(o.id, {
        id: o.id,
        clientOrderId: o.clientOrderId,
        symbol: o.symbol,
        type: o.type,
        side: o.side,
        status: o.status,
        amount: D(o.amount),
        filled: D(o.filled),
        price: o.price === undefined ? undefined : D(o.price),
        cost: D(o.cost),
        fee: D(o.fee),
        timestamp: o.timestamp,
        reserved: D(o.reserved),
        liquidity: o.liquidity,
      });
    }
    for (const t of snapshot.trades) {
      adapter.trades.push({
        id: t.id,
        orderId: t.orderId,
        clientOrderId: t.clientOrderId ?? '',
        symbol: t.symbol,
        side: t.side,
        amount: D(t.amount),
        price: D(t.price),
        fee: D(t.fee.cost),
        feeCurrency: t.fee.currency,
        takerOrMaker: t.takerOrMaker,
        timestamp: t.timestamp,
      });
    }
    return adapter;
  }

  // ---- internals ----

  private market(symbol: string): MarketInfo {
    const market = this.markets[symbol];
    if (!market) throw new ExchangeFinalError('invalid_order', `paper account has no market ${symbol}`);
    return market;
  }

  private feeSchedule(symbol: string): FeeSchedule {
    const market = this.market(symbol);
    return { maker: market.makerFee, taker: market.takerFee };
  }

  private balance(asset: string): AssetBalance {
    let entry = this.balances.get(asset);
    if (!entry) {
      entry = { free: D(0), used: D(0) };
      this.balances.set(asset, entry);
    }
    return entry;
  }

  /** Holds what the order may spend; the buy estimate includes the highest fee so a fill never overdraws. */
  private reserve(
    market: MarketInfo,
    side: OrderSide,
    amount: Decimal,
    price: Decimal | undefined,
    clientOrderId: string,
  ): Decimal {
    if (side === 'sell' && this.options.mode === 'margin') return D(0);
    const asset = side === 'buy' ? market.quote : market.base;
    let needed = amount;
    if (side === 'buy') {
      if (price === undefined) {
        throw new ExchangeFinalError(
          'invalid_order',
          `no price known for ${market.symbol}: cannot check funds for market buy ${clientOrderId}`,
        );
      }
      needed = amount.times(price).times(D(1).plus(FillDecimal.max(market.makerFee, market.takerFee)));
    }
    const balance = this.balance(asset);
    if (balance.free.lt(needed)) {
      throw new ExchangeFinalError(
        'insufficient_funds',
        `order ${clientOrderId} needs ${needed.toFixed()} ${asset}, ${balance.free.toFixed()} free`,
      );
    }
    balance.free = balance.free.minus(needed);
    balance.used = balance.used.plus(needed);
    return needed;
  }

  private release(order: PaperOrder): void {
    if (order.reserved.isZero()) return;
    const market = this.market(order.symbol);
    const balance = this.balance(order.side === 'buy' ? market.quote : market.base);
    balance.used = balance.used.minus(order.reserved);
    balance.free = balance.free.plus(order.reserved);
    order.reserved = D(0);
  }

  /**
   * A slipped price lands between ticks (and may not even be a finite decimal):
   * it is moved to the pair's tick against the order, as an exchange would fill.
   */
  private onTick(fill: ModelFill, market: MarketInfo): ModelFill {
    if (market.priceTick === undefined || D(market.priceTick).isZero()) return fill;
    const rounding = fill.side === 'buy' ? FillDecimal.ROUND_UP : FillDecimal.ROUND_DOWN;
    const price = D(fill.price).toNearest(market.priceTick, rounding);
    if (price.eq(fill.price)) return fill;
    const notional = price.times(fill.qty);
    const fee = computeFee(notional, fill.liquidity, { maker: market.makerFee, taker: market.takerFee });
    return { ...fill, price, notional, fee };
  }

  /** Books one fill; a market buy that costs more than its reservation plus the free quote is rejected instead. */
  private apply(order: PaperOrder, modelFill: ModelFill, timestamp: number): PaperTrade[] {
    const market = this.market(order.symbol);
    const fill = this.onTick(modelFill, market);
    const base = this.balance(market.base);
    const quote = this.balance(market.quote);
    if (order.side === 'buy') {
      const spend = D(fill.notional).plus(fill.fee);
      const fromReserve = FillDecimal.min(spend, order.reserved);
      const fromFree = spend.minus(fromReserve);
      if (fromFree.gt(quote.free)) {
        this.release(order);
        order.status = order.filled.isZero() ? 'rejected' : 'canceled';
        return [];
      }
      quote.used = quote.used.minus(fromReserve);
      order.reserved = order.reserved.minus(fromReserve);
      quote.free = quote.free.minus(fromFree);
      base.free = base.free.plus(fill.qty);
    } else {
      const fromReserve = FillDecimal.min(D(fill.qty), order.reserved);
      base.used = base.used.minus(fromReserve);
      order.reserved = order.reserved.minus(fromReserve);
      base.free = base.free.minus(D(fill.qty).minus(fromReserve));
      quote.free = quote.free.plus(fill.notional).minus(fill.fee);
    }
    order.filled = order.filled.plus(fill.qty);
    order.cost = order.cost.plus(fill.notional);
    order.fee = order.fee.plus(fill.fee);
    if (order.filled.gte(order.amount)) {
      order.status = 'closed';
      this.release(order);
    }
    const trade: PaperTrade = {
      id: `${order.id}-t${this.trades.filter((t) => t.orderId === order.id).length + 1}`,
      orderId: order.id,
      clientOrderId: order.clientOrderId,
      symbol: order.symbol,
      side: order.side,
      amount: D(fill.qty),
      price: D(fill.price),
      fee: D(fill.fee),
      feeCurrency: market.quote,
      takerOrMaker: fill.liquidity,
      timestamp,
    };
    this.trades.push(trade);
    return [trade];
  }

  private openOrdersOf(symbol: string): PaperOrder[] {
    return [...this.orders.values()].filter((o) => o.symbol === symbol && o.status === 'open');
  }

  private remaining(order: PaperOrder): Decimal {
    return order.amount.minus(order.filled);
  }

  private find(ref: OrderRef): PaperOrder {
    const order =
      ref.id !== undefined
        ? this.orders.get(ref.id)
        : [...this.orders.values()].find((o) => o.clientOrderId === ref.clientOrderId);
    if (!order || order.symbol !== ref.symbol) {
      throw new ExchangeFinalError('order_not_found', `no paper order ${ref.id ?? ref.clientOrderId} on ${ref.symbol}`);
    }
    return order;
  }

  private remember(symbol: string, timeframe: string, candle: Candle): void {
    const key = `${symbol}|${timeframe}`;
    const series = this.candles.get(key) ?? [];
    if (series.at(-1)?.timestamp === candle.timestamp) series.pop();
    series.push({ ...candle });
    const max = this.options.candleHistory ?? 1000;
    if (series.length > max) series.splice(0, series.length - max);
    this.candles.set(key, series);
  }

  private orderView(order: PaperOrder): ExchangeOrder {
    const market = this.market(order.symbol);
    return {
      id: order.id,
      clientOrderId: order.clientOrderId,
      symbol: order.symbol,
      type: order.type,
      side: order.side,
      status: order.status,
      amount: order.amount.toFixed(),
      filled: order.filled.toFixed(),
      remaining: this.remaining(order).toFixed(),
      price: order.price?.toFixed(),
      average: order.filled.isZero() ? undefined : order.cost.div(order.filled).toFixed(),
      cost: order.cost.toFixed(),
      fees: order.fee.isZero() ? [] : [{ currency: market.quote, cost: order.fee.toFixed() }],
      timestamp: order.timestamp,
    };
  }

  private tradeView(trade: PaperTrade): ExchangeTrade {
    return {
      id: trade.id,
      orderId: trade.orderId,
      clientOrderId: trade.clientOrderId,
      symbol: trade.symbol,
      side: trade.side,
      amount: trade.amount.toFixed(),
      price: trade.price.toFixed(),
      cost: trade.amount.times(trade.price).toFixed(),
      fee: { currency: trade.feeCurrency, cost: trade.fee.toFixed() },
      takerOrMaker: trade.takerOrMaker,
      timestamp: trade.timestamp,
    };
  }
}

function positiveDecimal(value: string, name: string): Decimal {
  let d: Decimal;
  try {
    d = D(value);
  } catch {
    throw new ExchangeFinalError('invalid_order', `${name} ${value} is not a decimal`);
  }
  if (!d.isFinite() || d.lte(0)) throw new ExchangeFinalError('invalid_order', `${name} ${value} must be positive`);
  return d;
}

function nonNegativeDecimal(value: string, name: string): Decimal {
  const d = D(value);
  if (!d.isFinite() || d.isNegative()) throw new Error(`${name} must be a non-negative decimal, got ${value}`);
  return d;
}

function roundDownToStep(value: Decimal, step: string | undefined): Decimal {
  if (step === undefined || D(step).isZero()) return value;
  return value.div(step).floor().times(step);
}

function roundToTick(value: Decimal, tick: string | undefined): Decimal {
  if (tick === undefined || D(tick).isZero()) return value;
  return value.toNearest(tick, FillDecimal.ROUND_HALF_UP);
}
