import type { TradingBalanceView, TradingOrderView, TradingPositionView, TradingTradeView } from '@trading/contracts';
import { BalanceEntity } from '../balances/balance.entity';
import { OrderEntity } from '../orders/order.entity';
import { PositionEntity } from '../positions/position.entity';
import { TradeEntity } from '../trades/trade.entity';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function orderView(o: OrderEntity): TradingOrderView {
  return {
    id: o.id,
    clientOrderId: o.clientOrderId,
    exchangeOrderId: o.exchangeOrderId,
    botId: o.botId,
    userId: o.userId,
    exchange: o.exchange,
    symbol: o.symbol,
    mode: o.mode,
    source: o.source,
    type: o.orderType,
    side: o.side,
    purpose: o.orderPurpose,
    status: o.status,
    quantity: o.quantity,
    filledQuantity: o.filledQuantity,
    price: o.price,
    averageFillPrice: o.avgFillPrice,
    fees: o.fees,
    rejectionReason: o.rejectionReason,
    reasonCodes: o.reasonCodes,
    retryCount: o.retryCount,
    createdAt: o.createdAt.toISOString(),
    updatedAt: o.updatedAt.toISOString(),
    filledAt: iso(o.filledAt),
  };
}

export function tradeView(t: TradeEntity): TradingTradeView {
  return {
    id: t.id,
    orderId: t.orderId,
    botId: t.botId,
    userId: t.userId,
    exchange: t.exchange,
    symbol: t.symbol,
    mode: t.mode,
    side: t.side,
    price: t.price,
    quantity: t.quantity,
    quoteQuantity: t.quoteQuantity,
    fee: t.fee,
    feeCurrency: t.feeCurrency,
    realizedPnl: t.realizedPnl,
    executedAt: t.executedAt.toISOString(),
  };
}

export function positionView(p: PositionEntity): TradingPositionView {
  return {
    id: p.id,
    botId: p.botId,
    userId: p.userId,
    exchange: p.exchange,
    symbol: p.symbol,
    mode: p.mode,
    side: p.side,
    status: p.status,
    size: p.size,
    avgEntryPrice: p.avgEntryPrice,
    currentPrice: p.currentPrice,
    unrealizedPnl: p.unrealizedPnl,
    realizedPnl: p.realizedPnl,
    feesPaid: p.feesPaid,
    stopLoss: p.stopLoss,
    takeProfit: p.takeProfit,
    trailingStopPct: p.trailingStopPct,
    highestPrice: p.highestPrice,
    lowestPrice: p.lowestPrice,
    openedAt: p.openedAt.toISOString(),
    closedAt: iso(p.closedAt),
  };
}

export function balanceView(b: BalanceEntity): TradingBalanceView {
  return { botId: b.botId, userId: b.userId, currency: b.currency, free: b.free, locked: b.locked, updatedAt: b.updatedAt.toISOString() };
}
