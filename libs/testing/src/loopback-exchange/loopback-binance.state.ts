import { BINANCE_ERRORS } from './binance-api.error';
import { Decimal, limitReached, LoopbackLedger, LoopbackPrices } from './loopback-ledger';

export type BinanceSide = 'BUY' | 'SELL';
export type BinanceOrderType = 'LIMIT' | 'MARKET' | 'LIMIT_MAKER';
export type BinanceOrderStatus = 'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED';

export interface LoopbackSymbol {
  symbol: string;
  base: string;
  quote: string;
  tickSize: string;
  stepSize: string;
  minQty: string;
  maxQty: string;
  minNotional: string;
}

export interface LoopbackCandle {
  openTime: number;
  open: string;
  high: string;
  low: string;
  close: string;
  volume: string;
}

export interface StoredOrder {
  orderId: number;
  symbol: string;
  clientOrderId: string;
  side: BinanceSide;
  type: BinanceOrderType;
  timeInForce?: string;
  price: Decimal;
  origQty: Decimal;
  executedQty: Decimal;
  cummulativeQuoteQty: Decimal;
  status: BinanceOrderStatus;
  time: number;
  updateTime: number;
  /** Balance still reserved for the unfilled part (quote for buys, base for sells). */
  locked: Decimal;
}

export interface StoredTrade {
  id: number;
  orderId: number;
  symbol: string;
  side: BinanceSide;
  price: Decimal;
  qty: Decimal;
  quoteQty: Decimal;
  commission: Decimal;
  commissionAsset: string;
  time: number;
  isMaker: boolean;
}

export interface NewOrderParams {
  symbol: string;
  side: BinanceSide;
  type: BinanceOrderType;
  quantity: string;
  price?: string;
  timeInForce?: string;
  newClientOrderId?: string;
}

export interface LoopbackStateOptions {
  symbols: LoopbackSymbol[];
  balances: Record<string, string>;
  prices: Record<string, string>;
  klines: Array<{ symbol: string; interval: string; candles: LoopbackCandle[] }>;
  makerCommission: string;
  takerCommission: string;
  now: () => number;
}

/**
 * The exchange's memory: our own orders, trades, balances and the price each
 * symbol trades at. Market orders and crossing limits fill at the current
 * price as taker; resting limits fill at their own price as maker when
 * setPrice() crosses them. Buyers pay commission in base, sellers in quote,
 * as on Binance spot without BNB.
 */
export class LoopbackBinanceState {
  readonly symbols = new Map<string, LoopbackSymbol>();
  readonly orders = new Map<number, StoredOrder>();
  readonly trades: StoredTrade[] = [];
  private readonly ledger = new LoopbackLedger();
  private readonly prices = new LoopbackPrices<LoopbackCandle>(BINANCE_ERRORS.invalidSymbol);
  private nextOrderId = 1000;
  private nextTradeId = 5000;
  private generatedClientIds = 0;
  readonly makerCommission: Decimal;
  readonly takerCommission: Decimal;
  readonly now: () => number;

  constructor(options: LoopbackStateOptions) {
    for (const symbol of options.symbols) this.symbols.set(symbol.symbol, symbol);
    for (const [asset, free] of Object.entries(options.balances)) this.setBalance(asset, free);
    for (const [symbol, price] of Object.entries(options.prices)) this.prices.set(symbol, price);
    for (const series of options.klines) this.setKlines(series.symbol, series.interval, series.candles);
    this.makerCommission = new Decimal(options.makerCommission);
    this.takerCommission = new Decimal(options.takerCommission);
    this.now = options.now;
  }

  /** Sets what is free (Binance's `free`); what open orders lock stays locked. */
  setBalance(asset: string, free: string): void {
    this.ledger.setFree(asset, free);
  }

  balance(asset: string): { free: string; locked: string } {
    const { free, held } = this.ledger.get(asset);
    return { free: free.toFixed(), locked: held.toFixed() };
  }

  allBalances(): Array<{ asset: string; free: Decimal; locked: Decimal }> {
    return this.ledger.all().map(({ asset, free, held }) => ({ asset, free, locked: held }));
  }

  setKlines(symbol: string, interval: string, candles: LoopbackCandle[]): void {
    this.prices.setCandles(symbol, interval, candles);
  }

  candles(symbol: string, interval: string): LoopbackCandle[] {
    return this.prices.candles(symbol, interval);
  }

  price(symbol: string): Decimal {
    return this.prices.price(symbol);
  }

  /** Moves the market: resting limit orders the new price crosses fill at their own price, as maker. */
  setPrice(symbol: string, price: string): void {
    const next = this.prices.set(symbol, price);
    for (const order of this.openOrders(symbol)) {
      if (limitReached(order.side === 'BUY', next, order.price))
        this.fill(order, order.origQty.minus(order.executedQty), order.price, true);
    }
  }

  openOrders(symbol?: string): StoredOrder[] {
    return [...this.orders.values()].filter(
      (o) => (symbol === undefined || o.symbol === symbol) && (o.status === 'NEW' || o.status === 'PARTIALLY_FILLED'),
    );
  }

  findOrder(symbol: string, ref: { orderId?: number; origClientOrderId?: string }): StoredOrder {
    let found: StoredOrder | undefined;
    if (ref.orderId !== undefined) {
      found = this.orders.get(ref.orderId);
    } else if (ref.origClientOrderId !== undefined) {
      // A client id may be reused once its order is closed; the newest one wins.
      found = [...this.orders.values()].filter((o) => o.clientOrderId === ref.origClientOrderId).pop();
    }
    if (!found || found.symbol !== symbol) throw BINANCE_ERRORS.orderDoesNotExist();
    return found;
  }

  newOrder(params: NewOrderParams): { order: StoredOrder; fills: StoredTrade[] } {
    const market = this.symbols.get(params.symbol);
    if (!market) throw BINANCE_ERRORS.invalidSymbol();
    const clientOrderId = params.newClientOrderId ?? `loopback${++this.generatedClientIds}`;
    if (this.openOrders().some((o) => o.clientOrderId === clientOrderId)) throw BINANCE_ERRORS.duplicateOrder();

    const quantity = new Decimal(params.quantity);
    const isLimit = params.type !== 'MARKET';
    if (isLimit && params.price === undefined) throw BINANCE_ERRORS.mandatoryParameter('price');
    const current = this.price(params.symbol);
    const limitPrice = isLimit ? new Decimal(params.price as string) : new Decimal(0);
    this.checkFilters(market, quantity, isLimit ? limitPrice : current, isLimit ? limitPrice : undefined);

    const crosses = !isLimit || limitReached(params.side === 'BUY', current, limitPrice);
    if (params.type === 'LIMIT_MAKER' && crosses) {
      throw BINANCE_ERRORS.limitMakerWouldMatch();
    }
    // Reserve what the order may spend: a resting buy its full limit cost, a taker buy the cost at the current price.
    const reservePrice = isLimit && !crosses ? limitPrice : current;
    const reserveAsset = params.side === 'BUY' ? market.quote : market.base;
    const reserve = params.side === 'BUY' ? quantity.times(reservePrice) : quantity;
    this.ledger.hold(reserveAsset, reserve, BINANCE_ERRORS.insufficientBalance);

    const now = this.now();
    const order: StoredOrder = {
      orderId: this.nextOrderId++,
      symbol: params.symbol,
      clientOrderId,
      side: params.side,
      type: params.type,
      timeInForce: isLimit ? (params.timeInForce ?? 'GTC') : undefined,
      price: limitPrice,
      origQty: quantity,
      executedQty: new Decimal(0),
      cummulativeQuoteQty: new Decimal(0),
      status: 'NEW',
      time: now,
      updateTime: now,
      locked: reserve,
    };
    this.orders.set(order.orderId, order);
    const fills = crosses ? [this.fill(order, quantity, current, false)] : [];
    return { order, fills };
  }

  cancel(symbol: string, ref: { orderId?: number; origClientOrderId?: string }): StoredOrder {
    let order: StoredOrder;
    try {
      order = this.findOrder(symbol, ref);
    } catch {
      throw BINANCE_ERRORS.unknownOrderSent();
    }
    if (order.status !== 'NEW' && order.status !== 'PARTIALLY_FILLED') throw BINANCE_ERRORS.unknownOrderSent();
    this.release(order);
    order.status = 'CANCELED';
    order.updateTime = this.now();
    return order;
  }

  private fill(order: StoredOrder, qty: Decimal, price: Decimal, isMaker: boolean): StoredTrade {
    const market = this.symbols.get(order.symbol) as LoopbackSymbol;
    const quoteQty = qty.times(price);
    const rate = isMaker ? this.makerCommission : this.takerCommission;
    let commission: Decimal;
    let commissionAsset: string;
    if (order.side === 'BUY') {
      const spent = Decimal.min(quoteQty, order.locked);
      this.ledger.spendHeld(market.quote, spent);
      order.locked = order.locked.minus(spent);
      commission = qty.times(rate);
      commissionAsset = market.base;
      this.ledger.credit(market.base, qty.minus(commission));
    } else {
      this.ledger.spendHeld(market.base, qty);
      order.locked = order.locked.minus(qty);
      commission = quoteQty.times(rate);
      commissionAsset = market.quote;
      this.ledger.credit(market.quote, quoteQty.minus(commission));
    }
    order.executedQty = order.executedQty.plus(qty);
    order.cummulativeQuoteQty = order.cummulativeQuoteQty.plus(quoteQty);
    order.status = order.executedQty.gte(order.origQty) ? 'FILLED' : 'PARTIALLY_FILLED';
    order.updateTime = this.now();
    if (order.status === 'FILLED') this.release(order);
    const trade: StoredTrade = {
      id: this.nextTradeId++,
      orderId: order.orderId,
      symbol: order.symbol,
      side: order.side,
      price,
      qty,
      quoteQty,
      commission,
      commissionAsset,
      time: order.updateTime,
      isMaker,
    };
    this.trades.push(trade);
    return trade;
  }

  /** Gives back what is still reserved (a buy filled below its limit, or a cancel). */
  private release(order: StoredOrder): void {
    if (order.locked.isZero()) return;
    const market = this.symbols.get(order.symbol) as LoopbackSymbol;
    this.ledger.release(order.side === 'BUY' ? market.quote : market.base, order.locked);
    order.locked = new Decimal(0);
  }

  private checkFilters(market: LoopbackSymbol, quantity: Decimal, notionalPrice: Decimal, limitPrice?: Decimal): void {
    if (
      !quantity.isFinite() ||
      quantity.lt(market.minQty) ||
      quantity.gt(market.maxQty) ||
      !quantity.mod(market.stepSize).isZero()
    ) {
      throw BINANCE_ERRORS.filterFailure('LOT_SIZE');
    }
    if (limitPrice && (limitPrice.lte(0) || !limitPrice.mod(market.tickSize).isZero())) {
      throw BINANCE_ERRORS.filterFailure('PRICE_FILTER');
    }
    if (quantity.times(notionalPrice).lt(market.minNotional)) throw BINANCE_ERRORS.filterFailure('NOTIONAL');
  }
}
