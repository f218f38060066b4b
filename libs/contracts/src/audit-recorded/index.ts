import type { EventEnvelope } from '../envelope/event-envelope';
import { AuditRecordedPayload } from './audit-recorded.payload';

export const TYPE = 'audit.recorded' as const;
export const VERSION = 1;
export { AuditRecordedPayload as Payload, AUDIT_OUTCOMES } from './audit-recorded.payload';
export type Event = EventEnvelope<typeof TYPE, AuditRecordedPayload>;
