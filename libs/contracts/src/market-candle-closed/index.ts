import type { EventEnvelope } from '../envelope/event-envelope';
import { MarketCandleClosedPayload } from './market-candle-closed.payload';

export const TYPE = 'market.candle.closed' as const;
export const VERSION = 1;
export { MarketCandleClosedPayload as Payload, CANDLE_SOURCES } from './market-candle-closed.payload';
export type Event = EventEnvelope<typeof TYPE, MarketCandleClosedPayload>;
