import type { EventEnvelope } from '../envelope/event-envelope';
import { PositionChangedPayload } from './position-changed.payload';

export const TYPE = 'position.changed' as const;
export const VERSION = 1;
export { PositionChangedPayload as Payload, POSITION_CHANGE_REASONS } from './position-changed.payload';
export type { PositionChangeReason } from './position-changed.payload';
export type Event = EventEnvelope<typeof TYPE, PositionChangedPayload>;
