/** Anything that runs one SQL statement on its own: a DataSource (pooled) or a QueryRunner (one connection). */
export interface SqlRunner {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

export interface PruneRound {
  readonly removed: number;
  /** DELETE statements run; the last one deleted fewer than `batchSize` rows (or the round was stopped). */
  readonly batches: number;
}

export interface PruneBatch {
  readonly removed: number;
  /** False once the batch showed that no expired row is left. */
  readonly more: boolean;
}

/**
 * Shared by ProcessedEventsPruner and the outbox relay's cleanup: rows expire against a cutoff fixed
 * when a round starts, so a round ends even while rows keep expiring, and each batch is one
 * autocommitted statement, so no long transaction holds locks or bloats while the service writes.
 */
export async function retentionCutoff(sql: SqlRunner, retainMs: number): Promise<string> {
  const [{ cutoff }] = (await sql.query(`SELECT (now() - make_interval(secs => $1::double precision / 1000))::text AS cutoff`, [retainMs])) as Array<{
    cutoff: string;
  }>;
  return cutoff;
}

/**
 * Runs `nextBatch` until it reports nothing more, or `shouldYield` asks for the connection back after
 * a batch (at least one batch runs per call, so a caller yielding often still makes progress).
 */
export async function pruneInBatches(nextBatch: () => Promise<PruneBatch>, shouldYield: () => boolean = () => false): Promise<PruneRound & { finished: boolean }> {
  let removed = 0;
  let batches = 0;
  for (;;) {
    const batch = await nextBatch();
    removed += batch.removed;
    batches++;
    if (!batch.more) return { removed, batches, finished: true };
    if (shouldYield()) return { removed, batches, finished: false };
  }
}

/** Housekeeping options are counts and durations: a fraction, zero or a negative value is a typo. */
export function positiveInteger(owner: string, name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${owner} ${name} must be a positive integer, got ${value}`);
  return value;
}
