import { validateSync, ValidationError } from 'class-validator';
import { compilePayloadCheck } from '../validation/fast-payload-check';
import { AnyEvent, EventCatalog, isEventType, StreamEvent, StreamEventMap, StreamEventTypes } from '../catalog/event-catalog';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const ENVELOPE_KEYS = new Set(['id', 'type', 'version', 'occurredAt', 'source', 'correlationId', 'causationId', 'payload']);

const isText = (value: unknown, max: number): value is string => typeof value === 'string' && value.length > 0 && value.length <= max;

// Hand-written rather than a class-validator class: every consumed message passes here, and
// this is several times cheaper; payloads, which vary per type, keep their decorated classes.
function envelopeReasons(envelope: Record<string, unknown>): string[] {
  const reasons: string[] = [];
  if (typeof envelope['id'] !== 'string' || !UUID_V7.test(envelope['id'])) reasons.push('id: must be a UUID v7');
  if (!isText(envelope['type'], 100)) reasons.push('type: must be a non-empty string');
  if (!Number.isInteger(envelope['version']) || (envelope['version'] as number) < 1) reasons.push('version: must be an integer >= 1');
  const occurredAt = envelope['occurredAt'];
  if (typeof occurredAt !== 'string' || !ISO_UTC.test(occurredAt) || Number.isNaN(Date.parse(occurredAt))) reasons.push('occurredAt: must be an ISO-8601 time');
  if (!isText(envelope['source'], 100)) reasons.push('source: must be a non-empty string');
  if (typeof envelope['correlationId'] !== 'string' || !UUID.test(envelope['correlationId'])) reasons.push('correlationId: must be a UUID');
  const causationId = envelope['causationId'];
  if (causationId !== null && (typeof causationId !== 'string' || !UUID.test(causationId))) reasons.push('causationId: must be a UUID or null');
  const payload = envelope['payload'];
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) reasons.push('payload: must be an object');
  for (const key of Object.keys(envelope)) if (!ENVELOPE_KEYS.has(key)) reasons.push(`${key}: unknown envelope property`);
  return reasons;
}

export type EnvelopeValidation<E> = { ok: true; event: E } | { ok: false; reasons: string[] };

function flatten(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((error) => {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => `${path}: ${message}`);
    return [...own, ...flatten(error.children ?? [], path)];
  });
}

const validatorOptions = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true } as const;

const fastChecks = new Map<new () => object, ReturnType<typeof compilePayloadCheck>>();
function fastCheckOf(payloadClass: new () => object) {
  if (!fastChecks.has(payloadClass)) fastChecks.set(payloadClass, compilePayloadCheck(payloadClass));
  return fastChecks.get(payloadClass);
}

/**
 * Parses (when given the wire string) and validates an envelope and its payload against the
 * payload class of its type. Unknown properties are refused, so a producer's typo never
 * passes silently. With `stream`, the type must also be one that stream carries.
 */
export function validateEnvelope(raw: unknown): EnvelopeValidation<AnyEvent>;
export function validateEnvelope<S extends keyof StreamEventMap>(raw: unknown, stream: S): EnvelopeValidation<StreamEvent<S>>;
export function validateEnvelope(raw: unknown, stream?: keyof StreamEventMap): EnvelopeValidation<AnyEvent> {
  let plain: unknown = raw;
  if (typeof raw === 'string') {
    try {
      plain = JSON.parse(raw);
    } catch (error) {
      return { ok: false, reasons: [`not JSON: ${(error as Error).message}`] };
    }
  }
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) {
    return { ok: false, reasons: ['envelope must be a JSON object'] };
  }
  const envelope = plain as Record<string, unknown> & { type: string; version: number; payload: object };
  const reasons = envelopeReasons(envelope);
  if (reasons.length > 0) return { ok: false, reasons };

  const type = envelope.type;
  if (!isEventType(type)) return { ok: false, reasons: [`type: unknown event type "${type}"`] };
  if (stream !== undefined && !(StreamEventTypes[stream] as readonly string[]).includes(type)) {
    return { ok: false, reasons: [`type: "${type}" is not carried by ${stream}`] };
  }
  const definition = EventCatalog[type];
  if (envelope.version > definition.VERSION) {
    return { ok: false, reasons: [`version: ${type} v${envelope.version} is newer than this consumer understands (v${definition.VERSION})`] };
  }
  // Payload classes are flat data holders without constructors or @Type conversions, so an
  // assign gives what plainToInstance would, at a fraction of the cost.
  const payload = Object.assign(new (definition.Payload as new () => object)(), envelope.payload);
  if (!fastCheckOf(definition.Payload)?.(payload as Record<string, unknown>)) {
    const payloadReasons = flatten(validateSync(payload, validatorOptions), 'payload');
    if (payloadReasons.length > 0) return { ok: false, reasons: payloadReasons };
  }
  return { ok: true, event: { ...envelope, payload } as unknown as AnyEvent };
}
