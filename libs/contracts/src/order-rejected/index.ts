import type { EventEnvelope } from '../envelope/event-envelope';
import { OrderRejectedPayload } from './order-rejected.payload';

export const TYPE = 'order.rejected' as const;
export const VERSION = 1;
export { OrderRejectedPayload as Payload, REJECTION_REASONS, REJECTED_BY, type RejectionReason } from './order-rejected.payload';
export type Event = EventEnvelope<typeof TYPE, OrderRejectedPayload>;
