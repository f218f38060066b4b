import { Injectable, Logger } from '@nestjs/common';
import { Streams } from '@trading/contracts';
import type Redis from 'ioredis';
import { parseInfoRows } from '../redis/stream-replies';
import { streamKey } from '../redis/stream-keys';
import { LatencyWindow } from './latency-window';
import { RateMeter } from './rate-meter';

export interface GroupMetrics {
  stream: string;
  group: string;
  consumers: number;
  /** Delivered, not yet acked. */
  pending: number;
  /** Entries not yet delivered to the group (Redis 7); null when Redis cannot tell (after trimming). */
  lag: number | null;
  lastDeliveredId: string;
}

export interface StreamsMetricsSnapshot {
  processedPerSecond: number;
  handlerLatencyMs: { p50: number | null; p99: number | null; samples: number };
  totals: { processed: number; failed: number; deadLettered: number };
  byStream: Record<string, { processed: number; failed: number; deadLettered: number }>;
  groups: GroupMetrics[];
  deadLetterStreamLength: number | null;
  /** Consumers this process deleted from its groups (dead: nothing pending, idle past deadConsumerIdleMs), per stream. */
  deadConsumersDeleted: Record<string, number>;
}

interface Watched {
  namespace: string;
  group: string;
  streams: string[];
}

const LATENCY_SAMPLES = 2048;

/**
 * Counters every consumer in the process records into, and a snapshot the health module
 * serves as JSON: throughput, handler latency over a sliding window, and per-group
 * pending / lag read live from `XINFO GROUPS`.
 */
@Injectable()
export class StreamsMetrics {
  private readonly logger = new Logger(StreamsMetrics.name);
  private readonly rate = new RateMeter(10);
  private readonly latency = new LatencyWindow(LATENCY_SAMPLES);
  private readonly byStream = new Map<string, { processed: number; failed: number; deadLettered: number }>();
  private readonly watched: Watched[] = [];
  private samples = 0;
  private readonly consumersDeleted = new Map<string, number>();

  constructor(private redis: Redis | null = null) {}

  /** Gives a connection for XINFO queries when none was provided (a server used outside the module). */
  useConnectionIfNone(redis: Redis): void {
    this.redis ??= redis;
  }

  watch(namespace: string, group: string, streams: string[]): void {
    this.watched.push({ namespace, group, streams });
  }

  recordProcessed(stream: string, handlerMs: number): void {
    this.counters(stream).processed++;
    this.rate.mark();
    this.latency.record(handlerMs);
    this.samples++;
  }

  recordFailure(stream: string): void {
    this.counters(stream).failed++;
  }

  recordDeadLetter(stream: string): void {
    this.counters(stream).deadLettered++;
  }

  recordConsumersDeleted(stream: string, count: number): void {
    this.consumersDeleted.set(stream, (this.consumersDeleted.get(stream) ?? 0) + count);
  }

  async snapshot(): Promise<StreamsMetricsSnapshot> {
    const [p50, p99] = this.latency.percentiles(50, 99);
    const totals = { processed: 0, failed: 0, deadLettered: 0 };
    const byStream: StreamsMetricsSnapshot['byStream'] = {};
    for (const [stream, c] of this.byStream) {
      byStream[stream] = { ...c };
      totals.processed += c.processed;
      totals.failed += c.failed;
      totals.deadLettered += c.deadLettered;
    }
    return {
      processedPerSecond: this.rate.perSecond(),
      handlerLatencyMs: { p50, p99, samples: Math.min(this.samples, LATENCY_SAMPLES) },
      totals,
      byStream,
      groups: await this.groupMetrics(),
      deadLetterStreamLength: await this.deadLetterLength(),
      deadConsumersDeleted: Object.fromEntries(this.consumersDeleted),
    };
  }

  private counters(stream: string) {
    let c = this.byStream.get(stream);
    if (!c) this.byStream.set(stream, (c = { processed: 0, failed: 0, deadLettered: 0 }));
    return c;
  }

  private async groupMetrics(): Promise<GroupMetrics[]> {
    const redis = this.redis;
    if (!redis) return [];
    const result: GroupMetrics[] = [];
    for (const { namespace, group, streams } of this.watched) {
      for (const stream of streams) {
        try {
          const rows = parseInfoRows(await redis.call('XINFO', 'GROUPS', streamKey(namespace, stream)));
          const row = rows.find((r) => r['name'] === group);
          if (!row) continue;
          result.push({
            stream,
            group,
            consumers: Number(row['consumers']),
            pending: Number(row['pending']),
            lag: row['lag'] === null || row['lag'] === undefined ? null : Number(row['lag']),
            lastDeliveredId: String(row['last-delivered-id']),
          });
        } catch (error) {
          this.logger.warn({ msg: 'XINFO GROUPS failed', stream, error: String(error) });
        }
      }
    }
    return result;
  }

  private async deadLetterLength(): Promise<number | null> {
    const namespace = this.watched[0]?.namespace;
    if (!this.redis || namespace === undefined) return null;
    try {
      return await this.redis.xlen(streamKey(namespace, Streams.DeadLetter));
    } catch {
      return null;
    }
  }
}
