import type { EventEnvelope } from '../envelope/event-envelope';
import { TradeExecutedPayload } from './trade-executed.payload';

export const TYPE = 'trade.executed' as const;
export const VERSION = 1;
export { TradeExecutedPayload as Payload } from './trade-executed.payload';
export type Event = EventEnvelope<typeof TYPE, TradeExecutedPayload>;
