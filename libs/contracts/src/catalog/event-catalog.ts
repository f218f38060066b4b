import type { EventEnvelope } from '../envelope/event-envelope';
import { Streams } from '../streams/stream-names';
import * as AuditRecorded from '../audit-recorded';
import * as BotStatusChanged from '../bot-status-changed';
import * as DeadLettered from '../dead-lettered';
import * as MarketCandleClosed from '../market-candle-closed';
import * as MarketTickerUpdated from '../market-ticker-updated';
import * as OrderFilled from '../order-filled';
import * as OrderPlaced from '../order-placed';
import * as OrderRejected from '../order-rejected';
import * as PositionChanged from '../position-changed';
import * as RiskLimitBreached from '../risk-limit-breached';
import * as SignalEmitted from '../signal-emitted';
import * as TradeExecuted from '../trade-executed';

interface EventDefinition {
  readonly TYPE: string;
  readonly VERSION: number;
  readonly Payload: new () => object;
}

/** Every event type the platform knows, with its payload class and current schema version. */
export const EventCatalog = {
  [MarketCandleClosed.TYPE]: MarketCandleClosed,
  [MarketTickerUpdated.TYPE]: MarketTickerUpdated,
  [SignalEmitted.TYPE]: SignalEmitted,
  [BotStatusChanged.TYPE]: BotStatusChanged,
  [OrderPlaced.TYPE]: OrderPlaced,
  [OrderFilled.TYPE]: OrderFilled,
  [OrderRejected.TYPE]: OrderRejected,
  [TradeExecuted.TYPE]: TradeExecuted,
  [PositionChanged.TYPE]: PositionChanged,
  [RiskLimitBreached.TYPE]: RiskLimitBreached,
  [AuditRecorded.TYPE]: AuditRecorded,
  [DeadLettered.TYPE]: DeadLettered,
} as const satisfies Record<string, EventDefinition>;

export type EventType = keyof typeof EventCatalog;
export type PayloadOf<T extends EventType> = InstanceType<(typeof EventCatalog)[T]['Payload']>;
/** The envelope of one event type; for a union of types, the union of their envelopes (discriminated by `type`). */
export type EventOf<T extends EventType> = T extends EventType ? EventEnvelope<T, PayloadOf<T>> : never;
export type AnyEvent = { [T in EventType]: EventOf<T> }[EventType];

/**
 * Which event types travel on which stream: the one source for both the compile-time
 * `StreamEventMap` and the run-time check a consumer makes before handling.
 * BotStatusChanged rides with the signals because the trading engine, which consumes
 * signals, is the service that must react to a stopped bot.
 */
export const StreamEventTypes = {
  [Streams.MarketData]: [MarketCandleClosed.TYPE, MarketTickerUpdated.TYPE],
  [Streams.StrategySignals]: [SignalEmitted.TYPE, BotStatusChanged.TYPE],
  [Streams.Orders]: [OrderPlaced.TYPE, OrderFilled.TYPE, OrderRejected.TYPE],
  [Streams.Trades]: [TradeExecuted.TYPE, PositionChanged.TYPE],
  [Streams.Risk]: [RiskLimitBreached.TYPE],
  [Streams.Audit]: [AuditRecorded.TYPE],
  [Streams.DeadLetter]: [DeadLettered.TYPE],
} as const satisfies Record<(typeof Streams)[keyof typeof Streams], readonly EventType[]>;

/** Stream name -> union of the events it carries. `publish(Streams.Trades, candle)` does not compile. */
export type StreamEventMap = { [S in keyof typeof StreamEventTypes]: EventOf<(typeof StreamEventTypes)[S][number]> };
export type StreamEvent<S extends keyof StreamEventMap> = StreamEventMap[S];

export function isEventType(type: unknown): type is EventType {
  return typeof type === 'string' && Object.prototype.hasOwnProperty.call(EventCatalog, type);
}

/** Narrows an event read from a multi-type stream: `if (isEvent(e, OrderFilled.TYPE)) e.payload.fillPrice`. */
export function isEvent<T extends EventType>(event: { type: string }, type: T): event is EventOf<T> {
  return event.type === type;
}
