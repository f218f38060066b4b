/**
 * Every event on every stream travels in this envelope. On the wire a stream entry has
 * exactly one field, `event`, holding the envelope as JSON.
 */
export interface EventEnvelope<TType extends string = string, TPayload = unknown> {
  /** UUID v7: time-ordered, unique per event. Consumers use it as the idempotency key. */
  readonly id: string;
  readonly type: TType;
  /** Schema version of the payload; bump on an incompatible change. */
  readonly version: number;
  /** ISO-8601 UTC time the fact happened. */
  readonly occurredAt: string;
  /** Service that produced the event (e.g. "market-data"). */
  readonly source: string;
  /** Id shared by every event of one flow (a candle's signal, its order, its trades). */
  readonly correlationId: string;
  /** Id of the event that caused this one, or null for a root event. */
  readonly causationId: string | null;
  readonly payload: TPayload;
}

/** Name of the single field holding the JSON envelope in a stream entry. */
export const ENVELOPE_FIELD = 'event';
