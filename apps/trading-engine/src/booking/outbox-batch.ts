import { OrderFilled, OrderPlaced, OrderRejected, PositionChanged, Streams, TradeExecuted, createEvent } from '@trading/contracts';
import type { StreamEventMap } from '@trading/contracts';
import { OutboxWriter } from '@trading/streams';
import type { EntityManager } from 'typeorm';

export const ENGINE_SOURCE = 'trading-engine';

export interface EventCause {
  readonly correlationId?: string;
  readonly causationId?: string | null;
}

/** Events of one transaction, written to the outbox as its last statements (the writer's lock is held to commit). */
export class OutboxBatch {
  private readonly orders: StreamEventMap[typeof Streams.Orders][] = [];
  private readonly trades: StreamEventMap[typeof Streams.Trades][] = [];

  constructor(private readonly cause: EventCause) {}

  private origin() {
    return { source: ENGINE_SOURCE, correlationId: this.cause.correlationId, causationId: this.cause.causationId ?? null };
  }

  orderPlaced(payload: OrderPlaced.Payload): void {
    this.orders.push(createEvent(OrderPlaced.TYPE, payload, this.origin()));
  }

  orderFilled(payload: OrderFilled.Payload): void {
    this.orders.push(createEvent(OrderFilled.TYPE, payload, this.origin()));
  }

  orderRejected(payload: OrderRejected.Payload): void {
    this.orders.push(createEvent(OrderRejected.TYPE, payload, this.origin()));
  }

  tradeExecuted(payload: TradeExecuted.Payload): void {
    this.trades.push(createEvent(TradeExecuted.TYPE, payload, this.origin()));
  }

  positionChanged(payload: PositionChanged.Payload): void {
    this.trades.push(createEvent(PositionChanged.TYPE, payload, this.origin()));
  }

  get size(): number {
    return this.orders.length + this.trades.length;
  }

  async flush(writer: OutboxWriter, manager: EntityManager): Promise<void> {
    if (this.orders.length) await writer.add(manager, Streams.Orders, this.orders);
    if (this.trades.length) await writer.add(manager, Streams.Trades, this.trades);
  }
}
