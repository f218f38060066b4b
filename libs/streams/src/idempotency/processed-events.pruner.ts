import { BeforeApplicationShutdown, Logger, OnApplicationBootstrap, Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { describeError } from '../server/handler-failure';
import { positiveInteger, pruneInBatches, PruneRound, retentionCutoff } from './batched-pruning';
import { quoteSchema } from './schema-name';

export type { PruneRound } from './batched-pruning';

/** Seven days: see ProcessedEventsPruner for why this is far beyond any redelivery. */
export const DEFAULT_PROCESSED_EVENTS_RETAIN_MS = 7 * 24 * 3600 * 1000;

export interface ProcessedEventsPrunerOptions {
  readonly dataSource: DataSource;
  /** Schema of the consuming service, holding its `processed_events` table. */
  readonly schema: string;
  /** Rows whose `processed_at` is older than this are deleted (default 7 days). */
  readonly retainMs?: number;
  /** Pause between two pruning rounds (default 1 h). */
  readonly intervalMs?: number;
  /** Delay of the first round after start (default 30 s, so it stays out of the way of start-up work). */
  readonly firstRunDelayMs?: number;
  /** Rows deleted per statement (default 5 000): each batch is its own short transaction. */
  readonly batchSize?: number;
}

/**
 * Deletes old idempotency keys from `<schema>.processed_events`, which `runIdempotent` (and the
 * trading engine directly) add one row per handled event to and never remove.
 *
 * Why the default of 7 days is safe: a row only matters while the same event id can still be
 * delivered to the same group, and every path that redelivers an event ends within minutes:
 * in-process retries (`maxDeliveries` 5, backoff 200 ms doubling to 30 s: well under 2 minutes),
 * a dead consumer's pending entries taken over after `claimIdleMs` (30-60 s in our services), at
 * most `maxDeliveries` times before the entry is dead-lettered, an outbox batch
 * republished when its relay restarts between XADD and marking the rows. Only outages longer than
 * the retention could bring back an event whose key is gone: a consumer group that stays down for
 * a week with entries it handled but never acked, or an outbox relay down that long mid-batch.
 * Re-driving dead letters is the other case to know: a dead-lettered event never committed its
 * effect, so it has no row and re-driving runs it, as intended; but re-driving (or replaying) an
 * event older than the retention that *was* handled runs it again. Retention is therefore an
 * operator's choice (PROCESSED_EVENTS_RETAIN_HOURS); make it longer than any replay window you use.
 *
 * Batches: each DELETE takes at most `batchSize` of the oldest expired rows (served by the
 * `processed_at` index of processedEventsPruneIndexMigrationSql) and commits on its own, so no
 * long transaction holds locks or bloats while handlers insert. The cutoff is fixed at the start of
 * a round, so a round ends even while rows keep expiring. `FOR UPDATE SKIP LOCKED` lets the
 * pruners of several instances of one service share the work instead of waiting on each other.
 *
 * Never throws out of its timer: a failed round (PostgreSQL unreachable) is logged and the next
 * one runs an interval later. The timer is unref'd, so it never keeps a process alive.
 */
export class ProcessedEventsPruner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger: Logger;
  private readonly table: string;
  private readonly retainMs: number;
  private readonly intervalMs: number;
  private readonly firstRunDelayMs: number;
  private readonly batchSize: number;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private round: Promise<void> | null = null;
  private removedTotal = 0;
  private failedTotal = 0;

  constructor(private readonly options: ProcessedEventsPrunerOptions) {
    this.table = `${quoteSchema(options.schema)}.processed_events`;
    this.retainMs = positive('retainMs', options.retainMs ?? DEFAULT_PROCESSED_EVENTS_RETAIN_MS);
    this.intervalMs = positive('intervalMs', options.intervalMs ?? 3600 * 1000);
    this.firstRunDelayMs = options.firstRunDelayMs ?? 30_000;
    this.batchSize = positive('batchSize', options.batchSize ?? 5000);
    if (!Number.isInteger(this.firstRunDelayMs) || this.firstRunDelayMs < 0) {
      throw new Error(`ProcessedEventsPruner firstRunDelayMs must be a non-negative integer, got ${this.firstRunDelayMs}`);
    }
    this.logger = new Logger(`${ProcessedEventsPruner.name}:${options.schema}`);
  }

  /** Rows this instance has deleted since start (for metrics). */
  get removedCount(): number {
    return this.removedTotal;
  }

  /** Timer rounds that failed (and were skipped) since start. */
  get failedRounds(): number {
    return this.failedTotal;
  }

  onApplicationBootstrap(): void {
    this.start();
  }

  /** Before shutdown, not on it: a round still running must finish its batch while the pool is open. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(this.firstRunDelayMs);
  }

  /** Cancels the next round and waits for a running one, which stops after its current batch. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.round;
  }

  /** One round: deletes every row expired at its start, batch by batch. Throws on a database error. */
  pruneOnce(): Promise<PruneRound> {
    return this.prune(false);
  }

  /** `yieldToStop`: a timer-driven round ends after the current batch once stop() was called. */
  private async prune(yieldToStop: boolean): Promise<PruneRound> {
    const cutoff = await retentionCutoff(this.options.dataSource, this.retainMs);
    const { removed, batches } = await pruneInBatches(
      async () => {
        const [{ n }]: Array<{ n: number }> = await this.options.dataSource.query(
          `WITH expired AS (
             SELECT consumer_group, event_id FROM ${this.table}
              WHERE processed_at < $1::timestamptz
              ORDER BY processed_at
              LIMIT $2
                FOR UPDATE SKIP LOCKED
           ), gone AS (
             DELETE FROM ${this.table} p USING expired e
              WHERE p.consumer_group = e.consumer_group AND p.event_id = e.event_id
             RETURNING 1
           )
           SELECT count(*)::int AS n FROM gone`,
          [cutoff, this.batchSize],
        );
        this.removedTotal += n;
        return { removed: n, more: n === this.batchSize };
      },
      () => yieldToStop && !this.running,
    );
    return { removed, batches };
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.round = this.runRound().finally(() => {
        this.round = null;
        this.schedule(this.intervalMs);
      });
    }, delayMs);
    this.timer.unref();
  }

  private async runRound(): Promise<void> {
    try {
      const { removed, batches } = await this.prune(true);
      const context = { msg: 'pruned processed events', schema: this.options.schema, removed, batches, retainMs: this.retainMs };
      if (removed > 0) this.logger.log(context);
      else this.logger.debug(context);
    } catch (error) {
      this.failedTotal++;
      this.logger.warn({ msg: 'pruning processed events failed; next round in one interval', schema: this.options.schema, error: describeError(error) });
    }
  }
}

function positive(name: string, value: number): number {
  return positiveInteger('ProcessedEventsPruner', name, value);
}

/**
 * The pruner as a Nest provider on the service's DataSource: it starts with the application and
 * stops before its connections close. In a service module: `processedEventsPrunerProvider({ schema: 'risk', ... })`.
 */
export function processedEventsPrunerProvider(options: Omit<ProcessedEventsPrunerOptions, 'dataSource'>): Provider {
  return {
    provide: ProcessedEventsPruner,
    inject: [DataSource],
    useFactory: (dataSource: DataSource) => new ProcessedEventsPruner({ ...options, dataSource }),
  };
}
