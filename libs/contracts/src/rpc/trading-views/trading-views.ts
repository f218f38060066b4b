import type { OrderSide, TradingMode } from '../../common/trading-vocabulary';

/** An order as the trading engine shows it. Money, prices and quantities are decimal strings; times ISO-8601 UTC. */
export interface TradingOrderView {
  readonly id: string;
  readonly clientOrderId: string;
  readonly exchangeOrderId: string | null;
  readonly botId: string | null;
  readonly userId: string;
  readonly exchange: string;
  readonly symbol: string;
  readonly mode: TradingMode;
  /** strategy | manual | stop_loss | take_profit | trailing_stop | risk | reconcile */
  readonly source: string;
  readonly type: string;
  readonly side: OrderSide;
  /** entry | exit | stop_loss | take_profit | ... */
  readonly purpose: string | null;
  /** pending | submitted | partially_filled | filled | cancelled | rejected | expired | failed */
  readonly status: string;
  readonly quantity: string;
  readonly filledQuantity: string;
  readonly price: string | null;
  readonly averageFillPrice: string | null;
  readonly fees: string;
  readonly rejectionReason: string | null;
  /** Risk's reason codes when it denied the order. */
  readonly reasonCodes: string[] | null;
  readonly retryCount: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly filledAt: string | null;
}

export interface TradingTradeView {
  readonly id: string;
  readonly orderId: string;
  readonly botId: string | null;
  readonly userId: string;
  readonly exchange: string;
  readonly symbol: string;
  readonly mode: TradingMode;
  readonly side: OrderSide;
  readonly price: string;
  readonly quantity: string;
  readonly quoteQuantity: string;
  readonly fee: string;
  readonly feeCurrency: string | null;
  /** Net of this trade's fee; "0" for a trade that opened or grew a position. */
  readonly realizedPnl: string | null;
  readonly executedAt: string;
}

export interface TradingPositionView {
  readonly id: string;
  readonly botId: string | null;
  readonly userId: string;
  readonly exchange: string;
  readonly symbol: string;
  readonly mode: TradingMode;
  readonly side: 'long' | 'short';
  readonly status: string;
  readonly size: string;
  readonly avgEntryPrice: string;
  readonly currentPrice: string | null;
  readonly unrealizedPnl: string;
  /** Net of every fee paid on the position. */
  readonly realizedPnl: string;
  readonly feesPaid: string;
  readonly stopLoss: string | null;
  readonly takeProfit: string | null;
  /** Fraction ("0.05" = 5 %). */
  readonly trailingStopPct: string | null;
  readonly highestPrice: string | null;
  readonly lowestPrice: string | null;
  readonly openedAt: string;
  readonly closedAt: string | null;
}

export interface TradingBalanceView {
  readonly botId: string;
  readonly userId: string;
  readonly currency: string;
  readonly free: string;
  readonly locked: string;
  readonly updatedAt: string;
}

/** What the exchange account was seen holding when the adjustment was made (the balance drift it answers). */
export interface TradingAdjustedDriftView {
  readonly exchangeKeyId: string;
  readonly exchangeTotal: string;
  readonly ledger: string;
  readonly shortfall: string;
  /** When the drift was first seen (ISO-8601). */
  readonly since: string;
}

/** One booked adjustment of a live position, and the position after it. */
export interface TradingPositionAdjustmentView {
  readonly requestId: string;
  readonly positionId: string;
  readonly botId: string;
  readonly userId: string;
  /** Who asked (the owner, or an admin). */
  readonly actorUserId: string;
  readonly exchange: string;
  readonly symbol: string;
  readonly fromQuantity: string;
  readonly toQuantity: string;
  readonly removedQuantity: string;
  /** The cost basis that left with the removed quantity (at the average entry price). */
  readonly removedCost: string;
  readonly avgEntryPrice: string;
  readonly reason: string;
  readonly drift: TradingAdjustedDriftView | null;
  readonly adjustedAt: string;
  /** true when this answers a request id already booked (nothing was booked again). */
  readonly replayed: boolean;
  readonly position: TradingPositionView;
}
