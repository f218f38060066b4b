import { positiveInteger, pruneInBatches, PruneRound, retentionCutoff, SqlRunner } from '../idempotency/batched-pruning';
import { quoteSchema } from '../idempotency/schema-name';

export const DEFAULT_OUTBOX_RETAIN_MS = 7 * 24 * 3600 * 1000;

export interface OutboxPrunerOptions {
  readonly schema: string;
  /** Published rows older than this are deleted (default 7 days). */
  readonly retainMs?: number;
  /** Rows looked at (and at most deleted) per statement (default 5 000). */
  readonly batchSize?: number;
}

/**
 * Deletes published outbox rows past their retention for the OutboxRelay, in id order, a window of
 * `batchSize` rows per statement, each statement its own transaction.
 *
 * Why id order and not an index on `published_at`: published rows are the outbox's lowest ids, and
 * were marked in id order. The writer's lock makes ids follow commit order and the single leader
 * publishes the lowest unpublished ids first, setting `published_at = now()` batch after batch, so
 * along the primary key `published_at` never decreases, up to the first unpublished row. The expired
 * rows are therefore the first ones of the primary key: each batch reads the next window of ids
 * after the previous one (primary key range scan, no sort, no extra index maintained on every
 * publish) and deletes the rows of it that are published and older than the cutoff; the published_at
 * test is in the DELETE itself, so whatever the order, an unpublished or newer row is never deleted.
 * A round ends at the first window with nothing to delete (a short window ends it too): one window
 * read beyond the last expired row, or only the first window when nothing has expired. A window that
 * deletes anything continues the round, so a few rows out of order (an operator re-publishing old
 * rows by setting published_at back to NULL) do not stop it; only a whole window of them would make
 * the expired rows behind it wait until they expire too.
 */
export class OutboxPruner {
  private readonly table: string;
  readonly retainMs: number;
  private readonly batchSize: number;

  constructor(options: OutboxPrunerOptions) {
    this.table = `${quoteSchema(options.schema)}.outbox`;
    this.retainMs = positiveInteger('OutboxPruner', 'retainMs', options.retainMs ?? DEFAULT_OUTBOX_RETAIN_MS);
    this.batchSize = positiveInteger('OutboxPruner', 'batchSize', options.batchSize ?? 5000);
  }

  /**
   * One round on `sql` (the relay's session): every row published before the round's cutoff, window
   * by window. `shouldYield` is asked after each batch; `finished` is false when it ended the round early.
   */
  async prune(sql: SqlRunner, shouldYield?: () => boolean): Promise<PruneRound & { finished: boolean }> {
    const cutoff = await retentionCutoff(sql, this.retainMs);
    let after = '0';
    return pruneInBatches(async () => {
      const [window] = (await sql.query(
        `WITH win AS (
           SELECT id FROM ${this.table} WHERE id > $1::bigint ORDER BY id LIMIT $2
         ), gone AS (
           DELETE FROM ${this.table} o USING win
            WHERE o.id = win.id AND o.published_at < $3::timestamptz
           RETURNING 1
         )
         SELECT (SELECT count(*) FROM win)::int AS seen, (SELECT max(id) FROM win)::text AS last, (SELECT count(*) FROM gone)::int AS removed`,
        [after, this.batchSize, cutoff],
      )) as Array<{ seen: number; last: string | null; removed: number }>;
      if (window.last !== null) after = window.last;
      return { removed: window.removed, more: window.removed > 0 && window.seen === this.batchSize };
    }, shouldYield);
  }
}
