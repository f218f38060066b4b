import { Logger } from '@nestjs/common';
import { CustomTransportStrategy, MessageHandler, Server } from '@nestjs/microservices';
import {
  AnyEvent,
  createEvent,
  DeadLettered,
  ENVELOPE_FIELD,
  type StreamName,
  Streams,
  validateEnvelope,
} from '@trading/contracts';
import type Redis from 'ioredis';
import { isObservable, lastValueFrom } from 'rxjs';
import { StreamsMetrics } from '../metrics/streams-metrics.service';
import { LuaCommand } from '../redis/lua-command';
import { createRedisConnection } from '../redis/redis-connection';
import { streamKey } from '../redis/stream-keys';
import { fieldValue, isNoGroupError, parseAutoClaimReply, parseReadReply, RawStreamEntry } from '../redis/stream-replies';
import { RedisStreamsServerOptions, ResolvedServerOptions, resolveServerOptions } from '../streams.options';
import { AckBatcher } from './ack-batcher';
import { deleteDeadConsumers } from './dead-consumers';
import { describeError } from './handler-failure';
import { KeyedLanes } from './keyed-lanes';
import { PARTITION_KEY_EXTRA, REDIS_STREAMS_TRANSPORT } from './on-stream.decorator';
import { RedisStreamsContext } from './redis-streams.context';

type PartitionKeyFn = (event: AnyEvent) => string | null | undefined;

/** A concurrency slot; released once the handler is done (its ack may still be on its way) or while waiting to retry. */
class Slot {
  private held = true;

  constructor(private readonly owner: { adjustInFlight(delta: 1 | -1): void }) {
    owner.adjustInFlight(1);
  }

  release(): void {
    if (!this.held) return;
    this.held = false;
    this.owner.adjustInFlight(-1);
  }

  retake(): void {
    if (this.held) return;
    this.held = true;
    this.owner.adjustInFlight(1);
  }
}

/**
 * Resets the idle time of an entry this consumer still owns (XCLAIM to itself, min-idle 0, JUSTID: no
 * delivery-count bump in Redis 7), optionally setting its delivery count; 0 when another consumer
 * owns it now (or it is no longer pending), so a plain XCLAIM never takes an entry back from its new owner.
 * KEYS[1] stream; ARGV group, consumer, id, delivery count ('' to keep it).
 */
const KEEP_OWNED = new LuaCommand<number>(
  'streamsKeepOwned',
  `local rows = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[3], ARGV[3], 1)
if #rows == 0 or rows[1][2] ~= ARGV[2] then return 0 end
if ARGV[4] == '' then
  redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[3], 'JUSTID')
else
  redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[3], 'RETRYCOUNT', ARGV[4], 'JUSTID')
end
return 1`,
  1,
);

const KNOWN_STREAMS = new Set<string>(Object.values(Streams));
const MAX_REASON_LENGTH = 2000;

/**
 * Nest transport for `@EventPattern(stream)` / `@OnStream(stream)` handlers over Redis Streams
 * consumer groups: one group per service, one consumer per process.
 *
 * - At-least-once: an entry is acked only after its handler's promise resolved.
 * - A failing handler is retried in-process with exponential backoff without holding a
 *   concurrency slot; after `maxDeliveries` the entry goes to events:dlq and is acked. While it
 *   waits, the entry's idle time is reset every claimIdleMs/4, so no other consumer claims it.
 *   (Should one have claimed it anyway, say across a Redis outage, the retry is left to it.)
 *   Invalid envelopes go to events:dlq at once.
 * - Backpressure: at most `concurrency` entries are held (read and not yet acked); reads ask
 *   only for free slots.
 * - Ordering: with concurrency 1 the entries of a stream are handled strictly in order (a
 *   retry holds back the ones behind it); with more, entries of one `partitionKey` are handled
 *   in order and never concurrently, other entries in parallel.
 * - Crash recovery: on start (and after every reconnect) the consumer re-reads its own pending
 *   entries; entries of dead consumers idle longer than `claimIdleMs` are taken over (XAUTOCLAIM).
 * - Housekeeping: consumers of the group idle longer than `deadConsumerIdleMs` with nothing pending
 *   are deleted (XGROUP DELCONSUMER, checked atomically), so restarts do not pile up consumers.
 */
export class RedisStreamsServer extends Server implements CustomTransportStrategy {
  override transportId = REDIS_STREAMS_TRANSPORT;
  protected override readonly logger = new Logger(RedisStreamsServer.name);
  readonly options: ResolvedServerOptions;
  private readonly metrics: StreamsMetrics;
  private reader?: Redis;
  private commands?: Redis;
  private acks?: AckBatcher;
  private streams: StreamName[] = [];
  private readonly keyToStream = new Map<string, StreamName>();
  private readonly partitionKeys = new Map<string, PartitionKeyFn>();
  private running = false;
  private closing?: Promise<void>;
  private readonly held = new Set<string>();
  private inFlight = 0;
  private readonly lanes = new KeyedLanes();
  private readonly tasks = new Set<Promise<void>>();
  private capacityWaiter?: () => void;
  private stopWaiters = new Set<() => void>();
  private readLoopDone?: Promise<void>;
  private claimTimer?: NodeJS.Timeout;
  private claiming = false;
  private readonly claimCursors = new Map<string, string>();
  private needHistory = true;
  private readerReadyBefore = false;

  constructor(options: RedisStreamsServerOptions, metrics?: StreamsMetrics) {
    super();
    this.options = resolveServerOptions(options);
    this.metrics = metrics ?? new StreamsMetrics();
  }

  get group(): string {
    return this.options.service;
  }

  get consumer(): string {
    return this.options.consumer;
  }

  /** Entries read and not yet acked, dead-lettered or abandoned. */
  get heldCount(): number {
    return this.held.size;
  }

  listen(callback: (error?: unknown) => void): void {
    this.start().then(
      () => callback(),
      (error: unknown) => callback(error),
    );
  }

  /** Listens to events (`error`, `ready`, `reconnecting`...) of both Redis connections. */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  on<EventKey extends string = string, EventCallback extends Function = Function>(event: EventKey, callback: EventCallback): void {
    this.reader?.on(event, callback as unknown as (...args: unknown[]) => void);
    this.commands?.on(event, callback as unknown as (...args: unknown[]) => void);
  }

  unwrap<T>(): T {
    return { reader: this.reader, commands: this.commands } as T;
  }

  async close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async start(): Promise<void> {
    for (const pattern of this.messageHandlers.keys()) {
      if (!KNOWN_STREAMS.has(pattern)) throw new Error(`@EventPattern("${pattern}") is not a stream of @trading/contracts Streams`);
      const stream = pattern as StreamName;
      this.streams.push(stream);
      this.keyToStream.set(this.keyOf(stream), stream);
      const partitionKey = this.findPartitionKey(this.messageHandlers.get(pattern));
      if (partitionKey) this.partitionKeys.set(stream, partitionKey);
    }
    const { service, consumer, redisUrl } = this.options;
    this.commands = createRedisConnection(redisUrl, { name: `${service}:${consumer}:commands` });
    this.reader = createRedisConnection(redisUrl, { name: `${service}:${consumer}:reader`, autoPipelining: false });
    this.acks = new AckBatcher(this.commands, this.group);
    this.watchConnection(this.commands, 'commands');
    this.watchConnection(this.reader, 'reader');
    this.reader.on('ready', () => {
      // After a reconnect, entries delivered by a read whose reply was lost sit in our pending list.
      if (this.readerReadyBefore) this.needHistory = true;
      this.readerReadyBefore = true;
    });
    if (this.streams.length === 0) {
      this.logger.warn({ msg: 'no stream handlers registered; nothing to consume', service });
      return;
    }
    await this.ensureGroups();
    this.running = true;
    this.metrics.watch(this.options.namespace, this.group, this.streams);
    this.metrics.useConnectionIfNone(this.commands);
    this.readLoopDone = this.readLoop();
    this.claimTimer = setInterval(() => void this.claimIdleEntries(), this.options.claimIntervalMs);
    this.logger.log({ msg: 'consuming', service, consumer, streams: this.streams, concurrency: this.options.concurrency });
    this._status$.next('connected');
  }

  private async shutdown(): Promise<void> {
    this.running = false;
    clearInterval(this.claimTimer);
    this.stopWaiters.forEach((wake) => wake());
    this.capacityWaiter?.();
    this.reader?.disconnect();
    await this.readLoopDone;
    let timer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      Promise.allSettled([...this.tasks]).then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), this.options.shutdownTimeoutMs))),
    ]);
    clearTimeout(timer);
    if (!finished) {
      this.logger.warn({ msg: 'handlers still running at shutdown; their entries stay pending for redelivery', count: this.tasks.size });
    }
    await this.acks?.flush();
    if (this.commands) await this.commands.quit().catch(() => this.commands?.disconnect());
    this._status$.next('disconnected');
  }

  private commandConnection(): Redis {
    if (!this.commands) throw new Error('RedisStreamsServer is not started');
    return this.commands;
  }

  private readerConnection(): Redis {
    if (!this.reader) throw new Error('RedisStreamsServer is not started');
    return this.reader;
  }

  private ackBatcher(): AckBatcher {
    if (!this.acks) throw new Error('RedisStreamsServer is not started');
    return this.acks;
  }

  private keyOf(stream: string): string {
    return streamKey(this.options.namespace, stream);
  }

  private async ensureGroups(): Promise<void> {
    for (const stream of this.streams) {
      try {
        // From 0, not $: events written before this service's first start are not skipped.
        await this.commandConnection().call('XGROUP', 'CREATE', this.keyOf(stream), this.group, '0', 'MKSTREAM');
      } catch (error) {
        if (!(error instanceof Error && error.message.startsWith('BUSYGROUP'))) throw error;
      }
    }
  }

  private async readLoop(): Promise<void> {
    let failures = 0;
    while (this.running) {
      const free = this.options.concurrency - this.inFlight;
      if (free <= 0) {
        await this.waitForCapacity();
        continue;
      }
      try {
        if (this.needHistory) await this.readOwnPending();
        else await this.readNew(free);
        failures = 0;
      } catch (error) {
        if (!this.running) break;
        if (isNoGroupError(error)) {
          // The stream or group vanished (Redis restarted without persistence, or a manual DEL).
          this.logger.warn({ msg: 'consumer group missing; re-creating', group: this.group });
          await this.ensureGroups().catch((e: unknown) => this.logger.warn({ msg: 're-creating groups failed', error: describeError(e) }));
          continue;
        }
        failures++;
        this.logger.warn({ msg: 'stream read failed; retrying', error: describeError(error), failures });
        await this.pause(Math.min(50 * 2 ** failures, 2_000));
      }
    }
  }

  /** `XREADGROUP ... STREAMS s 0`: what this consumer was given but never acked, oldest first. */
  private async readOwnPending(): Promise<void> {
    this.needHistory = false;
    const cursors = new Map<StreamName, string>(this.streams.map((s) => [s, '0']));
    while (this.running && cursors.size > 0) {
      const free = this.options.concurrency - this.inFlight;
      if (free <= 0) {
        await this.waitForCapacity();
        continue;
      }
      const streams = [...cursors.keys()];
      const reply = await this.readerConnection().call(
        'XREADGROUP',
        'GROUP',
        this.group,
        this.consumer,
        'COUNT',
        free,
        'STREAMS',
        ...streams.map((s) => this.keyOf(s)),
        ...streams.map((s) => cursors.get(s) ?? '0'),
      );
      const byKey = parseReadReply(reply);
      for (const stream of streams) {
        const entries = byKey.get(this.keyOf(stream)) ?? [];
        if (entries.length === 0) {
          cursors.delete(stream);
          continue;
        }
        cursors.set(stream, entries[entries.length - 1].id);
        const fresh = entries.filter((e) => !this.held.has(this.heldKey(stream, e.id)));
        const deliveries = await this.deliveryCounts(stream, fresh.map((e) => e.id));
        for (const entry of fresh) this.dispatch(stream, entry, deliveries.get(entry.id) ?? 1);
      }
    }
  }

  private async readNew(free: number): Promise<void> {
    const count = Math.max(1, Math.floor(free / this.streams.length));
    const reply = await this.readerConnection().call(
      'XREADGROUP',
      'GROUP',
      this.group,
      this.consumer,
      'COUNT',
      count,
      'BLOCK',
      this.options.blockMs,
      'STREAMS',
      ...this.streams.map((s) => this.keyOf(s)),
      ...this.streams.map(() => '>'),
    );
    for (const [key, entries] of parseReadReply(reply)) {
      const stream = this.keyToStream.get(key);
      if (!stream) continue;
      for (const entry of entries) this.dispatch(stream, entry, 1);
    }
  }

  /**
   * Takes over entries other consumers (dead ones, usually) left pending longer than claimIdleMs, then
   * deletes the consumers left with nothing pending and idle longer than deadConsumerIdleMs (dead
   * ones, usually: a claimed-out dead consumer goes in the same round).
   */
  private async claimIdleEntries(): Promise<void> {
    if (!this.running || this.claiming) return;
    this.claiming = true;
    try {
      for (const stream of this.streams) {
        if (!this.running) break;
        const free = this.options.concurrency - this.inFlight;
        if (free > 0) await this.claimIdleEntriesOf(stream, free);
        await this.deleteDeadConsumersOf(stream);
      }
    } catch (error) {
      if (isNoGroupError(error)) await this.ensureGroups().catch(() => undefined);
      else if (this.running) this.logger.warn({ msg: 'claiming idle entries failed', error: describeError(error) });
    } finally {
      this.claiming = false;
    }
  }

  private async claimIdleEntriesOf(stream: StreamName, free: number): Promise<void> {
    const key = this.keyOf(stream);
    const reply = parseAutoClaimReply(
      await this.commandConnection().call('XAUTOCLAIM', key, this.group, this.consumer, this.options.claimIdleMs, this.claimCursors.get(stream) ?? '0-0', 'COUNT', free),
    );
    this.claimCursors.set(stream, reply.cursor);
    if (reply.deletedIds.length > 0) {
      this.logger.error({ msg: 'pending entries were trimmed before anyone handled them; raise MAXLEN', stream, ids: reply.deletedIds });
    }
    const fresh = reply.entries.filter((e) => !this.held.has(this.heldKey(stream, e.id)));
    if (fresh.length === 0) return;
    this.logger.warn({ msg: 'claimed idle pending entries', stream, count: fresh.length });
    const deliveries = await this.deliveryCounts(stream, fresh.map((e) => e.id));
    for (const entry of fresh) this.dispatch(stream, entry, deliveries.get(entry.id) ?? 1);
  }

  /** Runs even when this consumer is full: a dead consumer holding entries is kept (see deleteDeadConsumers). */
  private async deleteDeadConsumersOf(stream: StreamName): Promise<void> {
    const deleted = await deleteDeadConsumers(this.commandConnection(), this.keyOf(stream), this.group, this.consumer, this.options.deadConsumerIdleMs);
    if (deleted.length === 0) return;
    this.metrics.recordConsumersDeleted(stream, deleted.length);
    this.logger.log({ msg: 'deleted dead consumers (no pending entries, idle)', stream, group: this.group, consumers: deleted, idleMs: this.options.deadConsumerIdleMs });
  }

  /** Delivery count per entry, from `XPENDING key group id id 1` (4th field of the row). */
  private async deliveryCounts(stream: StreamName, ids: string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    if (ids.length === 0) return counts;
    const pipeline = this.commandConnection().pipeline();
    for (const id of ids) pipeline.xpending(this.keyOf(stream), this.group, id, id, 1);
    const results = (await pipeline.exec()) ?? [];
    results.forEach(([error, rows], i) => {
      const row = !error && Array.isArray(rows) ? (rows[0] as [string, string, number, number] | undefined) : undefined;
      if (row) counts.set(ids[i], Number(row[3]));
    });
    return counts;
  }

  private heldKey(stream: string, id: string): string {
    return `${stream}\n${id}`;
  }

  private dispatch(stream: StreamName, entry: RawStreamEntry, deliveries: number): void {
    const heldKey = this.heldKey(stream, entry.id);
    if (this.held.has(heldKey)) return;
    this.held.add(heldKey);
    const slot = new Slot(this);
    const settle = (error?: unknown) => {
      if (error !== undefined) this.logger.error({ msg: 'entry processing failed; left pending', stream, id: entry.id, error: describeError(error) });
      this.held.delete(heldKey);
      slot.release();
      this.tasks.delete(task);
    };
    const task: Promise<void> = this.process(stream, entry, deliveries, slot).then(() => settle(), (error: unknown) => settle(error ?? 'unknown error'));
    this.tasks.add(task);
  }

  /** @internal Called by Slot. */
  adjustInFlight(delta: 1 | -1): void {
    this.inFlight += delta;
    if (delta < 0) this.signalCapacity();
  }

  private async process(stream: StreamName, entry: RawStreamEntry, deliveries: number, slot: Slot): Promise<void> {
    if (entry.fields === null) {
      this.logger.error({ msg: 'pending entry was trimmed before it was handled; raise MAXLEN', stream, id: entry.id });
      await this.ack(stream, entry.id);
      return;
    }
    const raw = fieldValue(entry.fields, ENVELOPE_FIELD);
    if (raw === undefined) {
      await this.deadLetter(stream, entry.id, JSON.stringify(entry.fields), `entry has no "${ENVELOPE_FIELD}" field`, deliveries);
      return;
    }
    const validation = validateEnvelope(raw, stream);
    if (!validation.ok) {
      await this.deadLetter(stream, entry.id, raw, `invalid event: ${validation.reasons.join('; ')}`, deliveries);
      return;
    }
    if (deliveries > this.options.maxDeliveries) {
      await this.deadLetter(stream, entry.id, raw, `delivered ${deliveries} times (maxDeliveries ${this.options.maxDeliveries}); an earlier consumer died handling it`, deliveries);
      return;
    }
    const event = validation.event as AnyEvent;
    const stopKeeping = this.keepOwnedWhileHeld(stream, entry.id);
    try {
      await this.lanes.run(this.laneOf(stream, event), () => this.handleWithRetries(stream, entry.id, raw, event, deliveries, slot));
    } finally {
      stopKeeping();
    }
  }

  /**
   * While an entry is held (queued behind its partition lane, or in a handler slower than claimIdleMs),
   * its idle time is reset every claimIdleMs/4, only while it is still ours, so XAUTOCLAIM elsewhere
   * never runs it a second time concurrently. The timer fires only for entries held that long: a
   * fast handler costs one setTimeout and nothing on Redis. Returns the function that stops it.
   */
  private keepOwnedWhileHeld(stream: StreamName, id: string): () => void {
    const every = Math.max(1, Math.floor(this.options.claimIdleMs / 4));
    let stopped = false;
    let timer: NodeJS.Timeout;
    const tick = async () => {
      if (stopped || !this.running) return;
      if (!(await this.keepOwned(stream, id))) {
        this.logger.warn({ msg: 'held entry claimed by another consumer (or no longer pending) while still being handled here', stream, id });
        return;
      }
      if (!stopped) timer = setTimeout(() => void tick(), every).unref();
    };
    timer = setTimeout(() => void tick(), every).unref();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }

  private laneOf(stream: StreamName, event: AnyEvent): string | null {
    if (this.options.concurrency === 1) return stream;
    const partitionKey = this.partitionKeys.get(stream);
    if (!partitionKey) return null;
    try {
      const key = partitionKey(event);
      return key === null || key === undefined ? null : `${stream}\n${key}`;
    } catch (error) {
      this.logger.warn({ msg: 'partitionKey threw; handling unordered', stream, error: describeError(error) });
      return null;
    }
  }

  private async handleWithRetries(stream: StreamName, id: string, raw: string, event: AnyEvent, firstDelivery: number, slot: Slot): Promise<void> {
    let delivery = firstDelivery;
    for (;;) {
      // Shutting down: leave it pending; this consumer re-reads it on restart or another claims it.
      if (!this.running) return;
      const started = performance.now();
      try {
        await this.invoke(stream, id, delivery, event);
      } catch (error) {
        this.metrics.recordFailure(stream);
        const reason = describeError(error);
        if (delivery >= this.options.maxDeliveries) {
          await this.deadLetter(stream, id, raw, `handler failed ${delivery} times: ${reason}`, delivery);
          return;
        }
        this.logger.warn({ msg: 'handler failed; will retry', stream, id, type: event.type, eventId: event.id, delivery, error: reason });
        // Waiting for a retry does not hold a slot: other entries keep flowing.
        slot.release();
        const outcome = await this.waitToRetry(stream, id, this.backoff(delivery), delivery + 1);
        slot.retake();
        if (outcome !== 'retry') return;
        delivery++;
        continue;
      }
      this.metrics.recordProcessed(stream, performance.now() - started);
      // The next read may start while this ack is in flight; the entry stays held until acked.
      slot.release();
      await this.ack(stream, id);
      return;
    }
  }

  private async invoke(stream: StreamName, id: string, delivery: number, event: AnyEvent): Promise<void> {
    const handler = this.messageHandlers.get(stream);
    if (!handler) throw new Error(`no handler for ${stream}`);
    const result: unknown = await handler(event, new RedisStreamsContext([stream, id, delivery, this.consumer]));
    if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
  }

  /**
   * Sleeps `ms` before retry number `nextDelivery`, keeping the entry owned: its idle time is reset
   * every claimIdleMs/4 (so XAUTOCLAIM elsewhere never sees it idle), and at the end the attempt
   * count is stored with it, so a consumer that crashes mid-retries hands over the right count.
   * 'stopped' when the server is stopping, 'lost' when another consumer owns the entry now.
   */
  private async waitToRetry(stream: StreamName, id: string, ms: number, nextDelivery: number): Promise<'retry' | 'stopped' | 'lost'> {
    const every = Math.max(1, Math.floor(this.options.claimIdleMs / 4));
    for (let left = ms; ; ) {
      const step = Math.min(left, every);
      if (await this.pause(step)) return 'stopped';
      left -= step;
      const last = left <= 0;
      if (!(await this.keepOwned(stream, id, last ? nextDelivery : undefined))) {
        this.logger.warn({ msg: 'entry no longer ours while waiting to retry (claimed by another consumer, or no longer pending); leaving it', stream, id, delivery: nextDelivery - 1 });
        return 'lost';
      }
      if (last) return 'retry';
    }
  }

  /** False only when another consumer owns the entry now; a failed call (Redis away) counts as still owned. */
  private async keepOwned(stream: StreamName, id: string, delivery?: number): Promise<boolean> {
    try {
      const owned = await KEEP_OWNED.run(this.commandConnection(), [this.keyOf(stream)], [this.group, this.consumer, id, delivery ?? '']);
      return owned === 1;
    } catch (error) {
      this.logger.warn({ msg: 'keeping a retried entry owned failed', stream, id, error: describeError(error) });
      return true;
    }
  }

  private backoff(delivery: number): number {
    const base = Math.min(this.options.retryBackoffMs * 2 ** (delivery - 1), this.options.retryBackoffMaxMs);
    return Math.round(base * (0.8 + Math.random() * 0.4));
  }

  private async ack(stream: StreamName, id: string): Promise<void> {
    try {
      await this.ackBatcher().ack(this.keyOf(stream), id);
    } catch (error) {
      // The effect happened; the entry will be delivered again and the idempotent handler skips it.
      this.logger.warn({ msg: 'ack failed; entry stays pending', stream, id, error: describeError(error) });
    }
  }

  /** Writes the dead letter and acks the original in one MULTI, so neither happens without the other. */
  private async deadLetter(stream: StreamName, id: string, raw: string, reason: string, deliveries: number): Promise<void> {
    const letter = createEvent(
      DeadLettered.TYPE,
      {
        stream,
        entryId: id,
        raw,
        reason: reason.length > MAX_REASON_LENGTH ? `${reason.slice(0, MAX_REASON_LENGTH - 1)}…` : reason,
        service: this.group,
        consumer: this.consumer,
        deliveries,
        failedAt: new Date().toISOString(),
      },
      { source: this.group },
    );
    const results = await this.commandConnection().multi()
      .xadd(this.keyOf(Streams.DeadLetter), 'MAXLEN', '~', this.options.maxLen[Streams.DeadLetter], '*', ENVELOPE_FIELD, JSON.stringify(letter))
      .xack(this.keyOf(stream), this.group, id)
      .exec();
    const failed = results?.find(([error]) => error);
    if (!results || failed) throw failed?.[0] ?? new Error('dead-letter transaction aborted');
    this.metrics.recordDeadLetter(stream);
    this.logger.error({ msg: 'message dead-lettered', stream, id, deliveries, reason: letter.payload.reason });
  }

  private findPartitionKey(handler: MessageHandler | undefined): PartitionKeyFn | undefined {
    for (let h: MessageHandler | undefined = handler; h; h = h.next) {
      const fn = (h.extras as Record<string, unknown> | undefined)?.[PARTITION_KEY_EXTRA];
      if (typeof fn === 'function') return fn as PartitionKeyFn;
    }
    return undefined;
  }

  private waitForCapacity(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => (this.capacityWaiter = resolve));
  }

  private signalCapacity(): void {
    const wake = this.capacityWaiter;
    if (!wake) return;
    this.capacityWaiter = undefined;
    // Wake on the next macrotask: handlers finishing together free their slots together, so
    // the next read asks for all of them rather than one entry at a time.
    setImmediate(wake);
  }

  /** Sleeps `ms`; resolves early with true when the server is stopping. */
  private pause(ms: number): Promise<boolean> {
    if (!this.running) return Promise.resolve(true);
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.stopWaiters.delete(wake);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.stopWaiters.delete(wake);
        resolve(false);
      }, ms);
      this.stopWaiters.add(wake);
    });
  }

  private watchConnection(redis: Redis, role: string): void {
    let lastLogged = 0;
    redis.on('error', (error: Error) => {
      const now = Date.now();
      if (now - lastLogged < 10_000) return;
      lastLogged = now;
      this.logger.warn({ msg: 'redis connection error', role, error: error.message });
    });
    redis.on('reconnecting', () => this._status$.next('reconnecting'));
    redis.on('ready', () => {
      if (this.running) this._status$.next('connected');
    });
  }
}
