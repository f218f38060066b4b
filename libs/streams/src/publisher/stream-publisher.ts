import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { ENVELOPE_FIELD, type StreamEventMap, type StreamName } from '@trading/contracts';
import type Redis from 'ioredis';
import { createRedisConnection } from '../redis/redis-connection';
import { streamKey } from '../redis/stream-keys';
import type { StreamPublisherOptions } from '../streams.options';
import { DEFAULT_MAX_LENGTHS } from './stream-lengths';

/** One message for `publishMany`: the stream decides which events are allowed. */
export type Publication = { [S in StreamName]: { stream: S; event: StreamEventMap[S] } }[StreamName];

/** An already serialized envelope (the outbox stores them as JSON). */
export interface RawPublication {
  stream: StreamName;
  json: string;
}

const BATCH_CHUNK = 1_000;

/**
 * Appends events to streams as `XADD key MAXLEN ~ N * event <json>`. Never deletes entries:
 * XDEL would remove them for every consumer group. Typed by StreamEventMap, so an event can
 * only be published to a stream that carries its type. StreamsModule provides one on the
 * module's shared connection; `StreamPublisher.connect()` builds one outside Nest.
 */
@Injectable()
export class StreamPublisher implements OnModuleDestroy {
  private readonly logger = new Logger(StreamPublisher.name);
  private readonly maxLen: Record<StreamName, number>;
  private readonly namespace: string | undefined;

  constructor(
    options: StreamPublisherOptions,
    private readonly redis: Redis,
    private readonly ownsConnection = false,
  ) {
    this.namespace = options.namespace;
    this.maxLen = { ...DEFAULT_MAX_LENGTHS, ...options.maxLen };
  }

  /** For code outside Nest (scripts, benchmarks, the outbox relay process): owns its connection. */
  static connect(options: StreamPublisherOptions): StreamPublisher {
    return new StreamPublisher(options, createRedisConnection(options.redisUrl, { name: 'streams-publisher' }), true);
  }

  /** Resolves with the entry id once Redis has stored the event. */
  async publish<S extends StreamName>(stream: S, event: StreamEventMap[S]): Promise<string> {
    return this.publishRaw(stream, JSON.stringify(event));
  }

  /** One pipelined round trip per 1 000 events; resolves with the entry ids in order. */
  async publishBatch<S extends StreamName>(stream: S, events: readonly StreamEventMap[S][]): Promise<string[]> {
    return this.publishRawMany(events.map((event) => ({ stream, json: JSON.stringify(event) })));
  }

  async publishMany(publications: readonly Publication[]): Promise<string[]> {
    return this.publishRawMany(publications.map(({ stream, event }) => ({ stream, json: JSON.stringify(event) })));
  }

  async publishRaw(stream: StreamName, json: string): Promise<string> {
    const id = await this.redis.xadd(this.keyOf(stream), 'MAXLEN', '~', this.maxLen[stream], '*', ENVELOPE_FIELD, json);
    if (!id) throw new Error(`XADD to ${stream} returned no id`);
    return id;
  }

  async publishRawMany(publications: readonly RawPublication[]): Promise<string[]> {
    const ids: string[] = [];
    for (let start = 0; start < publications.length; start += BATCH_CHUNK) {
      const pipeline = this.redis.pipeline();
      for (const { stream, json } of publications.slice(start, start + BATCH_CHUNK)) {
        pipeline.xadd(this.keyOf(stream), 'MAXLEN', '~', this.maxLen[stream], '*', ENVELOPE_FIELD, json);
      }
      const results = (await pipeline.exec()) ?? [];
      for (const [error, id] of results) {
        if (error) throw error;
        ids.push(id as string);
      }
    }
    return ids;
  }

  keyOf(stream: StreamName): string {
    return streamKey(this.namespace, stream);
  }

  async close(): Promise<void> {
    if (!this.ownsConnection) return;
    await this.redis.quit().catch((error: unknown) => this.logger.warn({ msg: 'closing publisher connection failed', error: String(error) }));
  }

  async onModuleDestroy(): Promise<void> {
    await this.close();
  }
}
