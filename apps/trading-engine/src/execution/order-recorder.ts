import { Injectable } from '@nestjs/common';
import { OrderRejected } from '@trading/contracts';
import type { ExchangeOrder } from '@trading/exchange';
import { EntityManager } from 'typeorm';
import { OutboxBatch } from '../booking/outbox-batch';
import { JsonObject } from '../database/json-value';
import { OrderEntity, OrderPurpose, OrderSource, TradingMode } from '../orders/order.entity';
import { OrderRepository } from '../orders/order.repository';

export type EngineRejection =
  | 'risk_denied'
  | 'risk_unavailable'
  | 'below_min_size'
  | 'short_not_allowed'
  | 'bot_not_running'
  | 'bot_settings_unavailable'
  | 'insufficient_funds'
  | 'invalid_order'
  | 'live_execution_unavailable'
  | 'live_key_unavailable'
  | 'exchange_unavailable'
  | 'exchange_auth'
  | 'rate_limited'
  | 'previous_order_unresolved'
  | 'not_on_exchange'
  | 'nothing_to_close'
  | 'already_at_target'
  | 'stale_signal';

/** Signal outcomes recorded on the order log but not published: nothing was asked of the exchange or risk. */
export const SILENT_REJECTIONS: ReadonlySet<EngineRejection> = new Set(['already_at_target', 'stale_signal']);

export interface OrderDraft {
  readonly clientOrderId: string;
  readonly signalId: string | null;
  readonly botId: string | null;
  readonly userId: string;
  readonly exchange: string;
  readonly symbol: string;
  readonly mode: TradingMode;
  readonly source: OrderSource;
  readonly purpose: OrderPurpose;
  readonly side: 'buy' | 'sell';
  readonly type: 'market' | 'limit';
  readonly quantity: string;
  readonly price: string | null;
  readonly metadata: JsonObject;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const RISK_CODE_MAP: [RegExp, OrderRejected.RejectionReason][] = [
  [/POSITION_SIZE/i, 'RISK_MAX_POSITION_SIZE'],
  [/DAILY_LOSS|WEEKLY_LOSS/i, 'RISK_MAX_DAILY_LOSS'],
  [/DRAWDOWN/i, 'RISK_MAX_DRAWDOWN'],
  [/OPEN_ORDERS|OPEN_POSITIONS|TRADES_PER_DAY|DAILY_TRADES/i, 'RISK_MAX_OPEN_ORDERS'],
  [/EXPOSURE|LEVERAGE/i, 'RISK_MAX_EXPOSURE'],
  [/HALT|KILL/i, 'TRADING_HALTED'],
  [/REDUC/i, 'REDUCE_ONLY'],
];

/** OrderRejected's reason vocabulary for an engine reason, or risk's own codes. */
export function eventReasons(reason: EngineRejection, riskCodes: string[]): OrderRejected.RejectionReason[] {
  switch (reason) {
    case 'risk_denied': {
      const known = new Set<OrderRejected.RejectionReason>();
      for (const code of riskCodes) {
        if ((OrderRejected.REJECTION_REASONS as readonly string[]).includes(code)) known.add(code as OrderRejected.RejectionReason);
        else known.add(RISK_CODE_MAP.find(([re]) => re.test(code))?.[1] ?? 'INVALID_ORDER');
      }
      return [...known].slice(0, 16);
    }
    case 'risk_unavailable':
      return ['RISK_CHECK_TIMEOUT'];
    case 'below_min_size':
      return ['MIN_NOTIONAL'];
    case 'bot_not_running':
      return ['BOT_NOT_RUNNING'];
    case 'insufficient_funds':
      return ['INSUFFICIENT_FUNDS'];
    case 'live_execution_unavailable':
    case 'exchange_unavailable':
      return ['EXCHANGE_UNAVAILABLE'];
    case 'rate_limited':
      return ['RATE_LIMITED'];
    case 'live_key_unavailable':
    case 'exchange_auth':
    case 'previous_order_unresolved':
    case 'not_on_exchange':
      return ['EXCHANGE_ERROR'];
    default:
      return ['INVALID_ORDER'];
  }
}

/** Writes orders (placed or rejected) and their events in the caller's transaction. */
@Injectable()
export class OrderRecorder {
  constructor(private readonly orders: OrderRepository) {}

  private base(draft: OrderDraft) {
    return {
      clientOrderId: draft.clientOrderId,
      signalId: draft.signalId && UUID.test(draft.signalId) ? draft.signalId : null,
      botId: draft.botId,
      userId: draft.userId,
      exchange: draft.exchange,
      symbol: draft.symbol,
      mode: draft.mode,
      source: draft.source,
      orderType: draft.type,
      side: draft.side,
      quantity: draft.quantity,
      price: draft.price,
      orderPurpose: draft.purpose,
      orderMetadata: { ...draft.metadata, ...(draft.signalId ? { signalId: draft.signalId } : {}) },
    };
  }

  async placed(manager: EntityManager, draft: OrderDraft, exchangeOrder: ExchangeOrder, batch: OutboxBatch): Promise<OrderEntity> {
    const now = new Date();
    const order = await this.orders.create(
      { ...this.base(draft), quantity: exchangeOrder.amount, exchangeOrderId: exchangeOrder.id, status: 'submitted', submittedAt: now },
      manager,
    );
    batch.orderPlaced({
      orderId: order.id,
      clientOrderId: order.clientOrderId,
      exchangeOrderId: order.exchangeOrderId,
      botId: order.botId,
      userId: order.userId,
      signalId: draft.signalId,
      exchange: order.exchange,
      symbol: order.symbol,
      side: order.side,
      orderType: draft.type,
      mode: order.mode,
      quantity: exchangeOrder.amount,
      price: draft.price,
      placedAt: now.toISOString(),
    });
    return order;
  }

  async rejected(
    manager: EntityManager,
    draft: OrderDraft,
    reason: EngineRejection,
    detail: { riskCodes?: string[]; message: string; rejectedBy: 'risk' | 'engine' | 'exchange' },
    batch: OutboxBatch,
  ): Promise<OrderEntity> {
    const riskCodes = detail.riskCodes ?? [];
    const order = await this.orders.create(
      {
        ...this.base(draft),
        status: 'rejected',
        rejectionReason: reason,
        reasonCodes: reason === 'risk_denied' ? riskCodes : [reason],
        errorCode: reason,
        orderMetadata: { ...this.base(draft).orderMetadata, rejectionMessage: detail.message },
      },
      manager,
    );
    if (SILENT_REJECTIONS.has(reason)) return order;
    batch.orderRejected({
      orderId: order.id,
      clientOrderId: order.clientOrderId,
      botId: order.botId,
      userId: order.userId,
      signalId: draft.signalId,
      exchange: order.exchange,
      symbol: order.symbol,
      side: order.side,
      mode: order.mode,
      quantity: draft.quantity,
      price: draft.price,
      rejectedBy: detail.rejectedBy,
      reasons: eventReasons(reason, riskCodes),
      message: detail.message.slice(0, 1000),
      rejectedAt: new Date().toISOString(),
    });
    return order;
  }

  /** A live order committed before it is sent: `pending` until the exchange's answer (or a lookup) says more. */
  pending(manager: EntityManager, draft: OrderDraft): Promise<OrderEntity> {
    return this.orders.create({ ...this.base(draft), status: 'pending' }, manager);
  }

  /** The exchange has the order (its answer, or a lookup by client order id): `submitted`, OrderPlaced. */
  async acknowledged(manager: EntityManager, order: OrderEntity, exchangeOrder: ExchangeOrder, batch: OutboxBatch): Promise<void> {
    const now = new Date();
    order.exchangeOrderId = exchangeOrder.id;
    order.quantity = exchangeOrder.amount;
    order.status = 'submitted';
    order.submittedAt = now;
    // a limit price as the exchange rounded it onto the tick
    if (order.price !== null && exchangeOrder.price !== undefined) order.price = exchangeOrder.price;
    await this.orders.update(order.id, { exchangeOrderId: exchangeOrder.id, quantity: exchangeOrder.amount, remainingQuantity: exchangeOrder.amount, price: order.price, status: 'submitted', submittedAt: now, errorCode: null }, manager);
    batch.orderPlaced({
      orderId: order.id,
      clientOrderId: order.clientOrderId,
      exchangeOrderId: exchangeOrder.id,
      botId: order.botId,
      userId: order.userId,
      signalId: order.signalId ?? (typeof order.orderMetadata?.signalId === 'string' ? order.orderMetadata.signalId : null),
      exchange: order.exchange,
      symbol: order.symbol,
      side: order.side,
      orderType: order.orderType === 'limit' ? 'limit' : 'market',
      mode: order.mode,
      quantity: exchangeOrder.amount,
      price: order.price,
      placedAt: now.toISOString(),
    });
  }

  /** A recorded order the exchange refused (`rejected`) or never got (`failed`): its reason and OrderRejected. */
  async refused(
    manager: EntityManager,
    order: OrderEntity,
    reason: EngineRejection,
    detail: { message: string; rejectedBy: 'engine' | 'exchange'; status: 'rejected' | 'failed' },
    batch: OutboxBatch,
  ): Promise<void> {
    const message = detail.message.slice(0, 1000);
    await this.orders.update(
      order.id,
      { status: detail.status, rejectionReason: reason, reasonCodes: [reason], errorCode: reason, orderMetadata: { ...(order.orderMetadata ?? {}), rejectionMessage: message } },
      manager,
    );
    batch.orderRejected({
      orderId: order.id,
      clientOrderId: order.clientOrderId,
      botId: order.botId,
      userId: order.userId,
      signalId: order.signalId ?? (typeof order.orderMetadata?.signalId === 'string' ? order.orderMetadata.signalId : null),
      exchange: order.exchange,
      symbol: order.symbol,
      side: order.side,
      mode: order.mode,
      quantity: order.quantity,
      price: order.price,
      rejectedBy: detail.rejectedBy,
      reasons: eventReasons(reason, []),
      message,
      rejectedAt: new Date().toISOString(),
    });
  }
}
