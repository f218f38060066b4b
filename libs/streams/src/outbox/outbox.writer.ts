import type { StreamEventMap, StreamName } from '@trading/contracts';
import type { EntityManager } from 'typeorm';
import { quoteSchema } from '../idempotency/schema-name';
import { outboxChannel, WRITER_LOCK_CLASS } from './outbox-locks';

const ROWS_PER_INSERT = 1000;

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
 */
export class OutboxWriter {
  private readonly table: string;
  private readonly channel: string;

  constructor(private readonly options: OutboxWriterOptions) {
    this.table = `${quoteSchema(options.schema)}.outbox`;
    this.channel = outboxChannel(options.schema);
  }

  /** Typed by StreamEventMap: an event can only be added to a stream that carries its type. */
  async add<S extends StreamName>(manager: EntityManager, stream: S, events: StreamEventMap[S] | readonly StreamEventMap[S][]): Promise<void> {
    const list: readonly StreamEventMap[S][] = isList(events) ? events : [events];
    if (list.length === 0) return;
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('OutboxWriter.add must run inside the transaction that writes the business rows');
    }
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))', [WRITER_LOCK_CLASS, this.options.schema]);
    for (let start = 0; start < list.length; start += ROWS_PER_INSERT) {
      const chunk = list.slice(start, start + ROWS_PER_INSERT);
      const params: string[] = [];
      const values = chunk.map((event, i) => {
        params.push(event.id, stream, JSON.stringify(event));
        return `($${i * 3 + 1}, $${i * 3 + 2}, $${i * 3 + 3}::jsonb)`;
      });
      await manager.query(`INSERT INTO ${this.table} (event_id, stream, event) VALUES ${values.join(', ')}`, params);
    }
    // Delivered by PostgreSQL only at commit, so the relay never wakes for a rolled-back event.
    await manager.query('SELECT pg_notify($1, $2)', [this.channel, '']);
  }
}

function isList<T>(value: T | readonly T[]): value is readonly T[] {
  return Array.isArray(value);
}
