import { plainToInstance } from 'class-transformer';
import { IsInt, IsISO8601, IsObject, IsString, IsUUID, Length, Min, validateSync, ValidateIf, ValidationError } from 'class-validator';
import { AnyEvent, EventCatalog, isEventType, StreamEvent, StreamEventMap, StreamEventTypes } from '../catalog/event-catalog';

class EnvelopeShape {
  @IsUUID('7') id: string;
  @IsString() @Length(1, 100) type: string;
  @IsInt() @Min(1) version: number;
  @IsISO8601({ strict: true }) occurredAt: string;
  @IsString() @Length(1, 100) source: string;
  @IsUUID() correlationId: string;
  @ValidateIf((_, v) => v !== null) @IsUUID() causationId: string | null;
  @IsObject() payload: object;
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
  const envelope = plainToInstance(EnvelopeShape, plain);
  const reasons = flatten(validateSync(envelope, validatorOptions));
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
  const payload = plainToInstance(definition.Payload as new () => object, envelope.payload);
  const payloadReasons = flatten(validateSync(payload, validatorOptions), 'payload');
  if (payloadReasons.length > 0) return { ok: false, reasons: payloadReasons };
  return { ok: true, event: { ...envelope, payload } as unknown as AnyEvent };
}
