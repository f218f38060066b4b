/**
 * The one exchange interface used by trading-engine and market-data.
 * Every quantity and price crosses this boundary as a decimal string; callers
 * compute with decimal.js, never with floats.
 */
export type OrderSide = 'buy' | 'sell';
export type OrderType = 'market' | 'limit';
export type OrderStatus = 'open' | 'closed' | 'canceled' | 'rejected' | 'expired';
export type TakerOrMaker = 'taker' | 'maker';

export interface MarketInfo {
  symbol: string;
  base: string;
  quote: string;
  /** Smallest price increment (tick size), e.g. "0.01"; undefined where the exchange counts significant digits. */
  priceTick?: string;
  /** Smallest amount increment (step size), e.g. "0.00001". */
  amountStep?: string;
  minAmount?: string;
  maxAmount?: string;
  /** Minimum price * amount, in quote currency. */
  minNotional?: string;
  /** Fee rates as fractions, e.g. "0.001" = 0.1 %. */
  makerFee: string;
  takerFee: string;
}

export interface BalanceEntry {
  free: string;
  used: string;
  total: string;
}
export type Balances = Record<string, BalanceEntry>;

export interface CreateOrderRequest {
  symbol: string;
  type: OrderType;
  side: OrderSide;
  amount: string;
  /** Required for limit orders. */
  price?: string;
  /** Always ours: the only way to find an order whose creation outcome is unknown. */
  clientOrderId: string;
  /** Expected fill price of a market order: checks its minimum notional and (paper) the funds it holds; the last price when absent. */
  referencePrice?: string;
}

export interface Fee {
  currency: string;
  cost: string;
}

export interface ExchangeOrder {
  id: string;
  clientOrderId: string;
  symbol: string;
  type: OrderType;
  side: OrderSide;
  status: OrderStatus;
  amount: string;
  filled: string;
  remaining: string;
  /** Limit price; undefined for market orders. */
  price?: string;
  /** Average fill price; undefined while nothing is filled. */
  average?: string;
  /** Quote spent or received so far. */
  cost: string;
  fees: Fee[];
  timestamp: number;
}

export interface ExchangeTrade {
  id: string;
  orderId: string;
  clientOrderId?: string;
  symbol: string;
  side: OrderSide;
  amount: string;
  price: string;
  cost: string;
  fee: Fee;
  takerOrMaker: TakerOrMaker;
  timestamp: number;
}

export interface Candle {
  /** Bar open time, ms since epoch, UTC. */
  timestamp: number;
  open: string;
  high: string;
  low: string;
  close: string;
  volume: string;
}

export interface Ticker {
  symbol: string;
  timestamp: number;
  last: string;
  bid?: string;
  ask?: string;
}

/** An order is looked up by the exchange's id or by our client order id. */
export type OrderRef =
  { symbol: string; id: string; clientOrderId?: undefined } | { symbol: string; clientOrderId: string; id?: undefined };

export interface ExchangePort {
  readonly exchangeId: string;
  loadMarkets(reload?: boolean): Promise<Record<string, MarketInfo>>;
  fetchBalance(): Promise<Balances>;
  /**
   * Places an order tagged with `clientOrderId`. When the outcome is unknown
   * (timeout, dropped connection) the adapter looks the order up by client
   * order id instead of sending it again; see the adapter's documentation.
   */
  createOrder(request: CreateOrderRequest): Promise<ExchangeOrder>;
  cancelOrder(ref: OrderRef): Promise<ExchangeOrder>;
  fetchOrder(ref: OrderRef): Promise<ExchangeOrder>;
  fetchOpenOrders(symbol?: string): Promise<ExchangeOrder[]>;
  fetchMyTrades(symbol: string, since?: number, limit?: number): Promise<ExchangeTrade[]>;
  fetchOHLCV(symbol: string, timeframe: string, since?: number, limit?: number): Promise<Candle[]>;
  fetchTicker(symbol: string): Promise<Ticker>;
  close(): Promise<void>;
}

/** Injection token for Nest modules that provide an ExchangePort. */
export const EXCHANGE_PORT = Symbol('EXCHANGE_PORT');
