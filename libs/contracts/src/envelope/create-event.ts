import { v7 as uuidv7 } from 'uuid';
import { EventCatalog, EventOf, EventType, PayloadOf } from '../catalog/event-catalog';

export interface EventOrigin {
  /** Producing service, e.g. "market-data". */
  source: string;
  /** Defaults to the new event's own id: a root event starts its flow. */
  correlationId?: string;
  /** Id of the event that caused this one; null for a root event. */
  causationId?: string | null;
  /** Defaults to now. */
  occurredAt?: Date | string;
}

export function createEvent<T extends EventType>(type: T, payload: PayloadOf<T>, origin: EventOrigin): EventOf<T> {
  const id = uuidv7();
  const occurredAt = origin.occurredAt === undefined ? new Date() : new Date(origin.occurredAt);
  if (Number.isNaN(occurredAt.getTime())) throw new Error(`createEvent(${type}): occurredAt is not a valid date`);
  return {
    id,
    type,
    version: EventCatalog[type].VERSION,
    occurredAt: occurredAt.toISOString(),
    source: origin.source,
    correlationId: origin.correlationId ?? id,
    causationId: origin.causationId ?? null,
    payload,
  } as EventOf<T>;
}

/** An event caused by another one: same correlation id, causation = the parent's id. */
export function createFollowUpEvent<T extends EventType>(
  type: T,
  payload: PayloadOf<T>,
  parent: { id: string; correlationId: string },
  source: string,
): EventOf<T> {
  return createEvent(type, payload, { source, correlationId: parent.correlationId, causationId: parent.id });
}
