import type { EventEnvelope } from '../envelope/event-envelope';
import { DeadLetteredPayload } from './dead-lettered.payload';

export const TYPE = 'streams.dead_lettered' as const;
export const VERSION = 1;
export { DeadLetteredPayload as Payload } from './dead-lettered.payload';
export type Event = EventEnvelope<typeof TYPE, DeadLetteredPayload>;
