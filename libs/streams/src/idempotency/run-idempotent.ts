import { DataSource, EntityManager } from 'typeorm';
import { quoteSchema } from './schema-name';

export interface IdempotencyKey {
  /** Schema of the consuming service, holding its `processed_events` table. */
  readonly schema: string;
  readonly consumerGroup: string;
  /** The envelope id of the event being handled. */
  readonly eventId: string;
}

export type IdempotentResult<T> = { readonly duplicate: true } | { readonly duplicate: false; readonly result: T };

/**
 * Runs `effect` at most once per (consumer group, event id): the processed-event row and the
 * effect's writes commit in one transaction, or neither does. A redelivery of an event already
 * committed returns `{ duplicate: true }` without running the effect. A concurrent delivery of the
 * same id blocks on the primary key until the first transaction ends, then sees it as a duplicate
 * (or runs the effect itself if the first one rolled back).
 *
 * Given an EntityManager already inside a transaction, it joins that transaction.
 */
export async function runIdempotent<T>(
  target: DataSource | EntityManager,
  key: IdempotencyKey,
  effect: (manager: EntityManager) => Promise<T>,
): Promise<IdempotentResult<T>> {
  const table = `${quoteSchema(key.schema)}.processed_events`;
  const work = async (manager: EntityManager): Promise<IdempotentResult<T>> => {
    const inserted: unknown[] = await manager.query(
      `INSERT INTO ${table} (consumer_group, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1`,
      [key.consumerGroup, key.eventId],
    );
    if (inserted.length === 0) {
      return { duplicate: true };
    }
    return { duplicate: false, result: await effect(manager) };
  };

  if (target instanceof EntityManager && target.queryRunner?.isTransactionActive) {
    return work(target);
  }
  return target.transaction(work);
}
