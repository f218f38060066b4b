import type { EventEnvelope } from '../envelope/event-envelope';
import { MarketTickerUpdatedPayload } from './market-ticker-updated.payload';

export const TYPE = 'market.ticker.updated' as const;
export const VERSION = 1;
export { MarketTickerUpdatedPayload as Payload } from './market-ticker-updated.payload';
export type Event = EventEnvelope<typeof TYPE, MarketTickerUpdatedPayload>;
