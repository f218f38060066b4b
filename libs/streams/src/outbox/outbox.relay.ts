import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ENVELOPE_FIELD } from '@trading/contracts';
import Redis from 'ioredis';
import type { DataSource, QueryRunner } from 'typeorm';
import { quoteSchema } from '../idempotency/schema-name';
import { DEFAULT_MAX_LENGTHS } from '../publisher/stream-lengths';
import { streamKey } from '../redis/stream-keys';
import type { StreamPublisherOptions } from '../streams.options';
import { outboxChannel, RELAY_LOCK_CLASS } from './outbox-locks';
import { OutboxPruner } from './outbox.pruner';

/** `redisUrl`, `namespace` and `maxLen` mean what they mean for the StreamPublisher (same keys, same MAXLEN). */
export interface OutboxRelayOptions extends StreamPublisherOptions {
  readonly dataSource: DataSource;
  /** Schema of the producing service, holding its `outbox` table. */
  readonly schema: string;
  /** Entries read, XADDed and marked per round trip. */
  readonly batchSize?: number;
  /** Fallback wake-up when no NOTIFY arrives, and the retry delay after an error. */
  readonly pollIntervalMs?: number;
  /** Published rows are deleted once older than this (default 7 days); they only serve debugging. */
  readonly retainPublishedMs?: number;
  /** How often the leader deletes expired published rows (default 60 s). */
  readonly cleanupIntervalMs?: number;
  /** Rows looked at (and at most deleted) per cleanup statement (default 5 000); see OutboxPruner. */
  readonly cleanupBatchSize?: number;
}

interface OutboxRow {
  id: string;
  stream: string;
  event: unknown;
}

type NotificationListener = (msg: { channel: string }) => void;

interface PgNotifyingClient {
  on(event: 'notification', listener: NotificationListener): unknown;
  removeListener(event: 'notification', listener: NotificationListener): unknown;
}

type PostgresSession = QueryRunner & { releasePostgresConnection?(err?: Error): Promise<void> };

/**
 * Publishes a service's outbox to Redis Streams in commit order (see OutboxWriter for why id order
 * is commit order), at least once.
 *
 * - One leader per outbox: every instance tries a session-level advisory lock on its own dedicated
 *   connection; only the holder publishes. Row locks with SKIP LOCKED would let two instances
 *   publish interleaved batches out of order, so they are not used. If the leader's connection
 *   dies, PostgreSQL drops its lock and another instance takes over at its next poll.
 * - Each batch goes out as one MULTI/EXEC of `XADD key MAXLEN ~ N * event <json>` (pipelined, and
 *   all-or-nothing on a connection loss), and is marked `published_at` only after EXEC succeeded.
 *   A crash between the two republishes the batch: consumers dedupe by event id (runIdempotent).
 * - While Redis is unreachable, commands fail fast (no offline queue), the entries stay unpublished
 *   and are retried every poll interval; producers keep committing.
 * - Wakes on NOTIFY from the writer's commit, with a poll interval as fallback.
 * - When idle, the leader deletes published rows past their retention (OutboxPruner: batches in id
 *   order, each its own statement). A NOTIFY between two batches hands the session back to
 *   publishing; the round goes on at the next idle moment, so a large backlog of expired rows delays
 *   an event by one batch at most.
 */
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger: Logger;
  private readonly table: string;
  private readonly channel: string;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly redis: Redis;
  private session: PostgresSession | null = null;
  private detachListener: (() => void) | null = null;
  private leader = false;
  private running = false;
  private loop: Promise<void> | null = null;
  private wakeRequested = false;
  private wake: (() => void) | null = null;
  private published = 0;
  private pausedReason: string | null = null;
  private lastCleanup = 0;
  private readonly pruner: OutboxPruner;
  private readonly cleanupIntervalMs: number;
  private cleanupRound = { removed: 0, batches: 0 };

  constructor(private readonly options: OutboxRelayOptions) {
    this.table = `${quoteSchema(options.schema)}.outbox`;
    this.channel = outboxChannel(options.schema);
    this.batchSize = options.batchSize ?? 500;
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.logger = new Logger(`${OutboxRelay.name}:${options.schema}`);
    this.pruner = new OutboxPruner({ schema: options.schema, retainMs: options.retainPublishedMs, batchSize: options.cleanupBatchSize });
    this.cleanupIntervalMs = options.cleanupIntervalMs ?? 60_000;
    if (!Number.isInteger(this.cleanupIntervalMs) || this.cleanupIntervalMs < 0) {
      throw new Error(`OutboxRelay cleanupIntervalMs must be a non-negative integer, got ${this.cleanupIntervalMs}`);
    }
    // Unlike the StreamPublisher's connection (which queues commands through an outage), this one
    // fails fast: the entries are safe in the outbox, and stop() must not wait for Redis.
    this.redis = new Redis(options.redisUrl, {
      connectionName: `outbox-relay_${options.schema}`,
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      retryStrategy: (times) => Math.min(times * 100, 2000),
    });
    // Connection errors surface as a failed EXEC, logged once per outage by the loop.
    this.redis.on('error', () => undefined);
  }

  /** True while this instance holds the outbox's leader lock. */
  get isLeader(): boolean {
    return this.leader;
  }

  /** Entries this instance has published since start. */
  get publishedCount(): number {
    return this.published;
  }

  /** Entries waiting to be published (for health checks and metrics). */
  async pendingCount(): Promise<number> {
    const rows: Array<{ n: string }> = await this.options.dataSource.query(
      `SELECT count(*) AS n FROM ${this.table} WHERE published_at IS NULL`,
    );
    return Number(rows[0].n);
  }

  /** As a Nest provider, the relay starts with the application and stops with it. */
  onApplicationBootstrap(): void {
    this.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.redis.connect().catch((err: Error) => this.logger.warn(`redis not reachable yet: ${err.message}`));
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.requestWake();
    await this.loop;
    await this.closeSession();
    this.redis.disconnect();
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        const session = this.session ?? (await this.openSession());
        if (!this.leader) this.leader = await this.tryLead(session);
        if (!this.leader) {
          await this.sleep();
          continue;
        }
        const count = await this.publishBatch(session);
        if (this.pausedReason !== null) {
          this.logger.log('publishing resumed');
          this.pausedReason = null;
        }
        if (count < this.batchSize) {
          await this.deleteExpired(session);
          await this.sleep();
        }
      } catch (err) {
        const reason = (err as Error).message;
        if (reason !== this.pausedReason) this.logger.warn(`publishing paused, entries wait in the outbox: ${reason}`);
        this.pausedReason = reason;
        if (!(await this.sessionAlive())) await this.closeSession(true);
        // A full interval before the next attempt: commits' NOTIFYs must not turn an outage into a busy loop.
        await this.sleep(true);
      }
    }
  }

  private async openSession(): Promise<PostgresSession> {
    const session = this.options.dataSource.createQueryRunner();
    const client = (await session.connect()) as PgNotifyingClient;
    this.session = session;
    const listener: NotificationListener = (msg) => {
      if (msg.channel === this.channel) this.requestWake();
    };
    client.on('notification', listener);
    this.detachListener = () => client.removeListener('notification', listener);
    await session.query(`LISTEN "${this.channel}"`);
    return session;
  }

  private async tryLead(session: PostgresSession): Promise<boolean> {
    const rows: Array<{ locked: boolean }> = await session.query(
      'SELECT pg_try_advisory_lock(hashtext($1), hashtext($2)) AS locked',
      [RELAY_LOCK_CLASS, this.options.schema],
    );
    return rows[0].locked;
  }

  private async publishBatch(session: PostgresSession): Promise<number> {
    const rows: OutboxRow[] = await session.query(
      `SELECT id, stream, event FROM ${this.table} WHERE published_at IS NULL ORDER BY id LIMIT $1`,
      [this.batchSize],
    );
    if (rows.length === 0) return 0;

    const tx = this.redis.multi();
    for (const row of rows) {
      tx.xadd(this.streamKey(row.stream), 'MAXLEN', '~', this.maxLen(row.stream), '*', ENVELOPE_FIELD, JSON.stringify(row.event));
    }
    const results = await tx.exec();
    if (!results) throw new Error('Redis transaction aborted');
    const failed = results.findIndex(([err]) => err);
    // Commands before a failed one were applied: mark them, retry from the failure onwards.
    const done = failed === -1 ? rows : rows.slice(0, failed);
    if (done.length > 0) {
      await session.query(`UPDATE ${this.table} SET published_at = now() WHERE id = ANY($1::bigint[])`, [done.map((r) => r.id)]);
      this.published += done.length;
    }
    if (failed !== -1) throw results[failed][0] as Error;
    return rows.length;
  }

  /** Deletes expired published rows until done or until new entries wait (a NOTIFY arrived). */
  private async deleteExpired(session: PostgresSession): Promise<void> {
    if (Date.now() - this.lastCleanup < this.cleanupIntervalMs) return;
    const { removed, batches, finished } = await this.pruner.prune(session, () => this.wakeRequested || !this.running);
    this.cleanupRound = { removed: this.cleanupRound.removed + removed, batches: this.cleanupRound.batches + batches };
    if (!finished) return;
    this.lastCleanup = Date.now();
    const context = { msg: 'deleted published outbox rows past retention', schema: this.options.schema, ...this.cleanupRound, retainMs: this.pruner.retainMs };
    if (this.cleanupRound.removed > 0) this.logger.log(context);
    else this.logger.debug(context);
    this.cleanupRound = { removed: 0, batches: 0 };
  }

  private streamKey(stream: string): string {
    return streamKey(this.options.namespace, stream);
  }

  private maxLen(stream: string): number {
    return (this.options.maxLen as Record<string, number> | undefined)?.[stream] ?? (DEFAULT_MAX_LENGTHS as Record<string, number>)[stream] ?? 1_000_000;
  }

  private async sessionAlive(): Promise<boolean> {
    try {
      await this.session?.query('SELECT 1');
      return this.session !== null;
    } catch {
      return false;
    }
  }

  private async closeSession(broken = false): Promise<void> {
    const session = this.session;
    const wasLeader = this.leader;
    this.session = null;
    this.leader = false;
    this.detachListener?.();
    this.detachListener = null;
    if (!session) return;
    if (!broken) {
      try {
        if (wasLeader) {
          await session.query('SELECT pg_advisory_unlock(hashtext($1), hashtext($2))', [RELAY_LOCK_CLASS, this.options.schema]);
        }
        await session.query(`UNLISTEN "${this.channel}"`);
        await session.release();
        return;
      } catch {
        // fall through: never hand a connection holding our lock or LISTEN back to the pool
      }
    }
    await session.releasePostgresConnection?.(new Error('outbox relay session closed'));
  }

  private requestWake(): void {
    this.wakeRequested = true;
    this.wake?.();
  }

  private sleep(ignoreNotifications = false): Promise<void> {
    if (!this.running || (this.wakeRequested && !ignoreNotifications)) {
      this.wakeRequested = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake = null;
        this.wakeRequested = false;
        resolve();
      };
      const timer = setTimeout(done, this.pollIntervalMs);
      this.wake = () => {
        if (!ignoreNotifications || !this.running) done();
      };
    });
  }
}
