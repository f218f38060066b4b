import type { StreamEventMap, StreamName } from '@trading/contracts';
import type { EntityManager } from 'typeorm';
import { quoteSchema } from '../idempotency/schema-name';
import { outboxChannel, WRITER_LOCK_CLASS } from './outbox-locks';

export interface OutboxWriterOptions {
  /** Schema of the producing service, holding its `outbox` table. */
  readonly schema: string;
}

/**
 * Adds events to the service's outbox inside the caller's transaction, so the business rows and
 * the events commit together or not at all.
 *
 * Commit order = id order: `add` takes a transaction-level advisory lock per outbox before it
 * draws ids from the BIGSERIAL, and holds it until commit or rollback. Writers of one outbox
 * therefore commit one after another, and a row the relay can see never has an invisible,
 * still-uncommitted row below it. Call `add` as the last step of the transaction to hold the lock
 * briefly.
 *
 * One round trip per call, however many events: the lock, the insert and the NOTIFY are one
 * statement (see `insertSql`), the events passed as two arrays.
 */
export class OutboxWriter {
  private readonly sql: string;
  private readonly channel: string;

  constructor(private readonly options: OutboxWriterOptions) {
    this.sql = insertSql(`${quoteSchema(options.schema)}.outbox`);
    this.channel = outboxChannel(options.schema);
  }

  /** Typed by StreamEventMap: an event can only be added to a stream that carries its type. */
  async add<S extends StreamName>(manager: EntityManager, stream: S, events: StreamEventMap[S] | readonly StreamEventMap[S][]): Promise<void> {
    const list: readonly StreamEventMap[S][] = isList(events) ? events : [events];
    if (list.length === 0) return;
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('OutboxWriter.add must run inside the transaction that writes the business rows');
    }
    await manager.query(this.sql, [
      WRITER_LOCK_CLASS,
      this.options.schema,
      stream,
      list.map((event) => event.id),
      list.map((event) => JSON.stringify(event)),
      this.channel,
    ]);
  }
}

/**
 * Lock, insert and notify in one statement. The lock is a materialized CTE that every inserted row
 * is joined to, so no row (and no id: the BIGSERIAL default is computed on the joined row) exists
 * before the lock is held. Rows keep the order of the arrays (`ORDER BY n`), so one call's events
 * get ascending ids. The NOTIFY is delivered by PostgreSQL only at commit, so the relay never wakes
 * for a rolled-back event.
 */
function insertSql(table: string): string {
  return `WITH writer_lock AS MATERIALIZED (SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))),
inserted AS (
  INSERT INTO ${table} (event_id, stream, event)
  SELECT e.event_id, $3::text, e.event FROM writer_lock, unnest($4::uuid[], $5::jsonb[]) WITH ORDINALITY AS e(event_id, event, n) ORDER BY e.n
)
SELECT pg_notify($6, '')`;
}

function isList<T>(value: T | readonly T[]): value is readonly T[] {
  return Array.isArray(value);
}
