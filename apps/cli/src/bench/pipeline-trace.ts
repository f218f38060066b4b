import { OrderFilled, OrderRejected, SignalEmitted, type StreamName } from '@trading/contracts';
import { streamKey } from '@trading/streams';
import type Redis from 'ioredis';
import { entryTime } from './pipeline-market';

const READ_COUNT = 1000;

export interface TracedEntry {
  readonly at: number;
  readonly type: string;
  readonly correlationId: string;
  readonly payload: Record<string, unknown>;
}

/** Reads a stream's new entries (from where it stood when created) without joining a consumer group. */
export class StreamTail {
  private last = '0-0';

  private constructor(
    private readonly redis: Redis,
    readonly key: string,
  ) {}

  static async fromEnd(redis: Redis, namespace: string, stream: StreamName): Promise<StreamTail> {
    const tail = new StreamTail(redis, streamKey(namespace, stream));
    const [newest] = await redis.xrevrange(tail.key, '+', '-', 'COUNT', 1);
    if (newest) tail.last = newest[0];
    return tail;
  }

  async read(): Promise<TracedEntry[]> {
    const out: TracedEntry[] = [];
    for (;;) {
      const entries = await this.redis.xrange(this.key, `(${this.last}`, '+', 'COUNT', READ_COUNT);
      for (const [id, fields] of entries) {
        const event = JSON.parse(fields[1] ?? '{}') as { type: string; correlationId: string; payload: Record<string, unknown> };
        out.push({ at: entryTime(id), type: event.type, correlationId: event.correlationId, payload: event.payload });
        this.last = id;
      }
      if (entries.length < READ_COUNT) return out;
    }
  }
}

/**
 * Each consumer group of the stream: how many entries it has not yet acked (not yet read, or read and
 * pending); 0 = caught up. NaN when Redis cannot tell how far behind an unfinished group is.
 */
export async function groupsBehind(redis: Redis, key: string): Promise<Map<string, number>> {
  const stream = toRecord((await redis.xinfo('STREAM', key)) as unknown[]);
  const groups = ((await redis.xinfo('GROUPS', key)) as unknown[][]).map(toRecord);
  return new Map(
    groups.map((g) => {
      const unread = g['last-delivered-id'] === stream['last-generated-id'] ? 0 : g['lag'] === null || g['lag'] === undefined ? NaN : Number(g['lag']);
      return [String(g['name']), unread + Number(g['pending'])];
    }),
  );
}

/** Every consumer group of every given stream has caught up (a stream nobody created yet counts as idle). */
export async function streamsIdle(redis: Redis, keys: readonly string[]): Promise<boolean> {
  for (const key of keys) {
    if (!(await redis.exists(key))) continue;
    for (const behind of (await groupsBehind(redis, key)).values()) if (behind !== 0) return false;
  }
  return true;
}

/** Where every consumer group of the given streams stands (read and pending): changes while any of them works. */
export async function consumerPositions(redis: Redis, keys: readonly string[]): Promise<string> {
  const positions: string[] = [];
  for (const key of keys) {
    if (!(await redis.exists(key))) continue;
    for (const g of ((await redis.xinfo('GROUPS', key)) as unknown[][]).map(toRecord)) positions.push(`${String(g['name'])}@${String(g['last-delivered-id'])}/${String(g['pending'])}`);
  }
  return positions.join(' ');
}

function toRecord(flat: unknown[]): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) record[String(flat[i])] = flat[i + 1];
  return record;
}

/** What became of each traced candle downstream: its SignalEmitted, its OrderFilled or OrderRejected. */
export class CandleOutcomes {
  readonly signalAt = new Map<string, number>();
  /** The signal id of each candle's signal: the client order id of the order the engine records for it. */
  readonly signalIds = new Map<string, string>();
  readonly filledAt = new Map<string, number>();
  readonly rejectedAt = new Map<string, number>();
  /** Rejected orders by their reason codes. */
  readonly rejections = new Map<string, number>();
  lastProgressAt = Date.now();

  constructor(private readonly traced: ReadonlySet<string>) {}

  observeSignals(entries: readonly TracedEntry[]): void {
    for (const e of entries) {
      if (e.type !== SignalEmitted.TYPE || !this.traced.has(e.correlationId) || this.signalAt.has(e.correlationId)) continue;
      this.signalAt.set(e.correlationId, e.at);
      this.signalIds.set(e.correlationId, (e.payload as unknown as SignalEmitted.Payload).signalId);
      this.lastProgressAt = Date.now();
    }
  }

  observeOrders(entries: readonly TracedEntry[]): void {
    for (const e of entries) {
      if (!this.traced.has(e.correlationId)) continue;
      if (e.type === OrderFilled.TYPE && !this.filledAt.has(e.correlationId)) {
        this.filledAt.set(e.correlationId, e.at);
        this.lastProgressAt = Date.now();
      } else if (e.type === OrderRejected.TYPE) {
        const reasons = (e.payload as unknown as OrderRejected.Payload).reasons.join('+');
        this.rejections.set(reasons, (this.rejections.get(reasons) ?? 0) + 1);
        this.rejectedAt.set(e.correlationId, e.at);
        this.lastProgressAt = Date.now();
      }
    }
  }
}

/** Nearest-rank percentiles (NaN for an empty list). */
export function percentiles(values: readonly number[], ...ps: number[]): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  return ps.map((p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN);
}
