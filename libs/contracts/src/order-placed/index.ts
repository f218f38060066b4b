import type { EventEnvelope } from '../envelope/event-envelope';
import { OrderPlacedPayload } from './order-placed.payload';

export const TYPE = 'order.placed' as const;
export const VERSION = 1;
export { OrderPlacedPayload as Payload } from './order-placed.payload';
export type Event = EventEnvelope<typeof TYPE, OrderPlacedPayload>;
