import type { EventEnvelope } from '../envelope/event-envelope';
import { PositionChangedPayload } from './position-changed.payload';

export const TYPE = 'position.changed' as const;
export const VERSION = 1;
export { PositionChangedPayload as Payload } from './position-changed.payload';
export type Event = EventEnvelope<typeof TYPE, PositionChangedPayload>;
