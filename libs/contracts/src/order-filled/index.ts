import type { EventEnvelope } from '../envelope/event-envelope';
import { OrderFilledPayload } from './order-filled.payload';

export const TYPE = 'order.filled' as const;
export const VERSION = 1;
export { OrderFilledPayload as Payload, FILL_STATUSES } from './order-filled.payload';
export type Event = EventEnvelope<typeof TYPE, OrderFilledPayload>;
