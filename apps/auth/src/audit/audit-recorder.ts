import { AuditRecorded, createEvent, RequestOrigin, Streams } from '@trading/contracts';
import { OutboxWriter } from '@trading/streams';
import type { EntityManager } from 'typeorm';

export interface AuditEntry {
  readonly actorUserId: string | null;
  /** Dotted verb, e.g. `auth.login`, `api_key.created`. */
  readonly action: string;
  readonly resourceType: string;
  readonly resourceId: string | null;
  readonly outcome: 'success' | 'failure';
  readonly origin?: RequestOrigin | null;
  /** Never credentials: the event contract refuses secret-looking keys. */
  readonly details?: Record<string, unknown>;
}

/** Writes AuditRecorded events into auth's outbox, inside the transaction of the change they record. */
export class AuditRecorder {
  private readonly outbox = new OutboxWriter({ schema: 'auth' });

  async record(manager: EntityManager, entries: AuditEntry | readonly AuditEntry[]): Promise<void> {
    const list = Array.isArray(entries) ? (entries as readonly AuditEntry[]) : [entries as AuditEntry];
    const now = new Date();
    const events = list.map((entry) =>
      createEvent(
        AuditRecorded.TYPE,
        {
          actorUserId: entry.actorUserId,
          action: entry.action,
          resourceType: entry.resourceType,
          resourceId: entry.resourceId,
          outcome: entry.outcome,
          ip: entry.origin?.ip ?? null,
          userAgent: entry.origin?.userAgent?.slice(0, 512) ?? null,
          details: entry.details ?? {},
          recordedAt: now.toISOString(),
        },
        { source: 'auth', occurredAt: now },
      ),
    );
    await this.outbox.add(manager, Streams.Audit, events);
  }
}
