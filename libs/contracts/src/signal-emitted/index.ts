import type { EventEnvelope } from '../envelope/event-envelope';
import { SignalEmittedPayload } from './signal-emitted.payload';

export const TYPE = 'strategy.signal.emitted' as const;
export const VERSION = 1;
export { SignalEmittedPayload as Payload, SIGNAL_TARGETS, type SignalTarget } from './signal-emitted.payload';
export { signalIdOf } from './signal-id';
export type Event = EventEnvelope<typeof TYPE, SignalEmittedPayload>;
