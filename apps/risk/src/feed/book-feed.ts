import { Logger } from '@nestjs/common';
import { ENVELOPE_FIELD, Streams, validateEnvelope } from '@trading/contracts';
import { createRedisConnection, streamKey } from '@trading/streams';
import type Redis from 'ioredis';
import { RiskBookHolder } from '../book/risk-book.provider';
import { FEED_STREAMS, FeedEvent, FeedStream, projectEntry } from './book-projection';
import { compareEntryIds, entryIdBefore } from './stream-entry-id';

export interface BookFeedOptions {
  readonly redisUrl: string;
  readonly namespace: string;
  /** The consumer group of the risk service: its position tells where the durable state ends. */
  readonly group: string;
  readonly instance: string;
  /** Entries per read. */
  readonly batchSize?: number;
  readonly blockMs?: number;
  /** Longest wait of a group handler for this instance's book to hold its entry (then it fails and is retried). */
  readonly waitTimeoutMs?: number;
}

type XReadReply = [key: string, entries: [id: string, fields: string[] | null][]][] | null;

interface Waiter {
  readonly stream: FeedStream;
  readonly entryId: string;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/** Where each stream is read from at start (exclusive XREAD cursors). */
export type FeedCursors = Record<FeedStream, string>;

/**
 * This instance's own read of events:trades, events:strategy_signals and events:market_data (plain XREAD, no consumer
 * group), so its book holds every entry whichever instance the group gave it to. The group handlers (durable effects:
 * bot_accounts, risk_metrics, risk_events, breaches) wait with `reached()` until the book holds their entry.
 */
export class BookFeed {
  private readonly logger = new Logger(BookFeed.name);
  private readonly batchSize: number;
  private readonly blockMs: number;
  private readonly waitTimeoutMs: number;
  private reader?: Redis;
  private cursors?: FeedCursors;
  private running = false;
  private loop?: Promise<void>;
  private waiters: Waiter[] = [];
  private applied = 0;
  private skipped = 0;

  constructor(
    private readonly holder: RiskBookHolder,
    private readonly options: BookFeedOptions,
  ) {
    this.batchSize = options.batchSize ?? 1000;
    this.blockMs = options.blockMs ?? 2000;
    this.waitTimeoutMs = options.waitTimeoutMs ?? 30_000;
  }

  private connection(): Redis {
    this.reader ??= createRedisConnection(this.options.redisUrl, { name: `risk:${this.options.instance}:book-feed`, autoPipelining: false });
    return this.reader;
  }

  private key(stream: FeedStream): string {
    return streamKey(this.options.namespace, stream);
  }

  /**
   * Cursors before the first entry the database may not hold yet; call it BEFORE loading the book from the database.
   * events:trades and events:strategy_signals: every entry up to the group's oldest pending entry (or, with none
   * pending, its last delivered one) is acked, and an entry is acked only after its account was saved, so the
   * accounts loaded afterwards hold it; later entries are read again (accounts skip those they hold). Market data is
   * read from its end: a mark replaces the previous one, and positions keep their last stored mark until the next.
   */
  async startCursors(): Promise<FeedCursors> {
    return {
      [Streams.Trades]: await this.durableEnd(Streams.Trades),
      [Streams.StrategySignals]: await this.durableEnd(Streams.StrategySignals),
      [Streams.MarketData]: await this.lastEntryId(Streams.MarketData),
    };
  }

  private async durableEnd(stream: FeedStream): Promise<string> {
    const redis = this.connection();
    const groups = (await redis.call('XINFO', 'GROUPS', this.key(stream)).catch((error: Error) => {
      if (error.message.includes('no such key')) return [];
      throw error;
    })) as unknown[][];
    const group = groups.map(toRecord).find((g) => g['name'] === this.options.group);
    if (!group) return '0-0'; // never consumed: everything is still to be read
    const lastDelivered = String(group['last-delivered-id']);
    const [pending, oldest] = (await redis.call('XPENDING', this.key(stream), this.options.group)) as [number, string | null];
    if (Number(pending) === 0 || !oldest) return lastDelivered;
    const beforeOldest = entryIdBefore(oldest);
    return compareEntryIds(beforeOldest, lastDelivered) < 0 ? beforeOldest : lastDelivered;
  }

  private async lastEntryId(stream: FeedStream): Promise<string> {
    const [last] = (await this.connection().xrevrange(this.key(stream), '+', '-', 'COUNT', 1)) as [string, string[]][];
    return last?.[0] ?? '0-0';
  }

  /** Reads from `from` up to the streams' current ends (the book is complete when this resolves), then follows them. */
  async start(from: FeedCursors): Promise<void> {
    this.cursors = { ...from };
    const ends = {} as FeedCursors;
    for (const stream of FEED_STREAMS) ends[stream] = await this.lastEntryId(stream);
    while (FEED_STREAMS.some((s) => compareEntryIds(this.cursorOf(s), ends[s]) < 0)) {
      if (!(await this.readBatch(null))) break;
    }
    this.running = true;
    this.loop = this.follow();
    this.logger.log({ msg: 'book feed caught up', cursors: this.cursors, applied: this.applied });
  }

  /** Resolves once this instance's book holds `entryId` of `stream` (at once for an entry before its start). */
  reached(stream: FeedStream, entryId: string): Promise<void> {
    if (this.cursors && compareEntryIds(this.cursorOf(stream), entryId) >= 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`the book feed did not reach ${stream} ${entryId} within ${this.waitTimeoutMs} ms`));
      }, this.waitTimeoutMs);
      const waiter: Waiter = { stream, entryId, resolve, reject, timer };
      this.waiters.push(waiter);
    });
  }

  async stop(): Promise<void> {
    this.running = false;
    this.reader?.disconnect();
    await this.loop;
    for (const w of this.waiters) {
      clearTimeout(w.timer);
      w.reject(new Error('the book feed stopped'));
    }
    this.waiters = [];
  }

  snapshot(): { cursors: FeedCursors | null; applied: number; skipped: number; waiting: number } {
    return { cursors: this.cursors ? { ...this.cursors } : null, applied: this.applied, skipped: this.skipped, waiting: this.waiters.length };
  }

  private cursorOf(stream: FeedStream): string {
    if (!this.cursors) throw new Error('the book feed has not started');
    return this.cursors[stream];
  }

  private async follow(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        await this.readBatch(this.blockMs);
        failures = 0;
      } catch (error) {
        if (!this.running) break;
        failures++;
        this.logger.warn({ msg: 'book feed read failed; retrying', error: (error as Error).message, failures });
        await new Promise((resolve) => setTimeout(resolve, Math.min(50 * 2 ** failures, 2000)));
      }
    }
  }

  /** One XREAD over the three streams; applies what it returned in order. Returns whether anything was read. */
  private async readBatch(blockMs: number | null): Promise<boolean> {
    const block = blockMs === null ? [] : ['BLOCK', blockMs];
    const reply = (await this.connection().call(
      'XREAD',
      'COUNT',
      this.batchSize,
      ...block,
      'STREAMS',
      ...FEED_STREAMS.map((s) => this.key(s)),
      ...FEED_STREAMS.map((s) => this.cursorOf(s)),
    )) as XReadReply;
    if (!reply) return false;
    const cursors = this.cursors;
    if (!cursors) throw new Error('the book feed has not started');
    for (const [key, entries] of reply) {
      const stream = FEED_STREAMS.find((s) => this.key(s) === key);
      if (!stream) continue;
      for (const [id, fields] of entries) {
        this.applyEntry(stream, id, fields);
        cursors[stream] = id;
      }
    }
    this.wakeWaiters();
    return true;
  }

  private applyEntry(stream: FeedStream, id: string, fields: string[] | null): void {
    const at = fields ? fields.indexOf(ENVELOPE_FIELD) : -1;
    const raw = fields && at >= 0 && at % 2 === 0 ? fields[at + 1] : undefined;
    // An invalid entry is dead-lettered by the group consumer; the book has nothing to take from it.
    const validation = raw === undefined ? null : validateEnvelope(raw, stream);
    if (!validation?.ok) {
      this.skipped++;
      return;
    }
    try {
      projectEntry(this.holder, stream, id, validation.event as FeedEvent);
      this.applied++;
    } catch (error) {
      // A valid event the book cannot take (an impossible value): the group handler fails on it too and dead-letters it.
      this.skipped++;
      this.logger.error({ msg: 'book feed could not apply an entry', stream, id, error: (error as Error).message });
    }
  }

  private wakeWaiters(): void {
    if (this.waiters.length === 0) return;
    const still: Waiter[] = [];
    for (const w of this.waiters) {
      if (compareEntryIds(this.cursorOf(w.stream), w.entryId) >= 0) {
        clearTimeout(w.timer);
        w.resolve();
      } else still.push(w);
    }
    this.waiters = still;
  }
}

function toRecord(row: unknown[]): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (let i = 0; i + 1 < row.length; i += 2) record[String(row[i])] = row[i + 1];
  return record;
}
