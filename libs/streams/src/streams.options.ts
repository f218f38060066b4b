import { hostname } from 'node:os';
import type { StreamName } from '@trading/contracts';
import { DEFAULT_MAX_LENGTHS } from './publisher/stream-lengths';

export interface StreamsConnectionOptions {
  redisUrl: string;
  /** Prefix for every stream and key (e.g. REDIS_NAMESPACE); lets tests and deployments share one Redis. */
  namespace?: string;
}

export interface StreamPublisherOptions extends StreamsConnectionOptions {
  /** Approximate MAXLEN per stream for `XADD ... MAXLEN ~ N`; see README for the sizing. */
  maxLen?: Partial<Record<StreamName, number>>;
}

export interface RedisStreamsServerOptions extends StreamPublisherOptions {
  /** Service name: the consumer group on every stream this service reads. */
  service: string;
  /** Consumer name inside the group; defaults to STREAMS_CONSUMER or `<host>-<pid>`. */
  consumer?: string;
  /** Messages held at once by this consumer (read, not yet acked); reads ask only for free slots. */
  concurrency?: number;
  /** Attempts (deliveries) before a failing message goes to events:dlq. */
  maxDeliveries?: number;
  /** First retry delay; doubles per attempt up to retryBackoffMaxMs. */
  retryBackoffMs?: number;
  retryBackoffMaxMs?: number;
  /**
   * A pending entry idle this long is taken over (XAUTOCLAIM); keep it above the slowest handler. Every duration
   * option is at most MAX_STREAMS_DURATION_MS.
   */
  claimIdleMs?: number;
  /** How often pending entries of dead consumers are looked for (and dead consumers deleted). */
  claimIntervalMs?: number;
  /**
   * Other consumers of the group idle this long with no pending entries are deleted; default 1 h, or 10 x
   * the largest of claimIdleMs, claimIntervalMs and blockMs if that is more. Must be at least twice each:
   * a live consumer marks itself seen every claim round. One holding entries is never deleted.
   */
  deadConsumerIdleMs?: number;
  /** BLOCK of the blocking XREADGROUP. */
  blockMs?: number;
  /** How long close() waits for in-flight handlers before leaving them pending for redelivery. */
  shutdownTimeoutMs?: number;
}

export type ResolvedServerOptions = Required<Omit<RedisStreamsServerOptions, 'maxLen'>> & {
  maxLen: Record<StreamName, number>;
};

export const DEFAULT_SERVER_OPTIONS = {
  concurrency: 32,
  maxDeliveries: 5,
  retryBackoffMs: 200,
  retryBackoffMaxMs: 30_000,
  claimIdleMs: 60_000,
  blockMs: 2_000,
  shutdownTimeoutMs: 10_000,
  deadConsumerIdleMs: 3_600_000,
} as const;

export function defaultConsumerName(): string {
  return process.env.STREAMS_CONSUMER || `${hostname()}-${process.pid}`;
}

export function normalizeNamespace(namespace: string | undefined): string {
  if (!namespace) return '';
  return namespace.endsWith(':') ? namespace : `${namespace}:`;
}

function positiveInt(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) throw new Error(`streams option ${name} must be a positive integer, got ${value}`);
  return value;
}

/** Node runs a timer whose delay is above this (~24.8 days) at once, so a larger duration would turn a pause into a busy loop. */
export const MAX_STREAMS_DURATION_MS = 2 ** 31 - 1;

function duration(name: string, value: number): number {
  positiveInt(name, value);
  if (value > MAX_STREAMS_DURATION_MS) throw new Error(`streams option ${name} must be at most ${MAX_STREAMS_DURATION_MS} ms (~24.8 days), got ${value}`);
  return value;
}

export function resolveServerOptions(options: RedisStreamsServerOptions): ResolvedServerOptions {
  if (!options.redisUrl) throw new Error('streams option redisUrl is required');
  if (!options.service || !/^[\w.-]+$/.test(options.service)) throw new Error(`streams option service must be a plain name, got "${options.service}"`);
  const claimIdleMs = duration('claimIdleMs', options.claimIdleMs ?? DEFAULT_SERVER_OPTIONS.claimIdleMs);
  const claimIntervalMs = duration('claimIntervalMs', options.claimIntervalMs ?? Math.max(100, Math.min(Math.floor(claimIdleMs / 2), 30_000)));
  const blockMs = duration('blockMs', options.blockMs ?? DEFAULT_SERVER_OPTIONS.blockMs);
  // A live consumer is seen at least every claimIntervalMs (and every read); a dead one is taken over after claimIdleMs.
  const slowest = Math.max(claimIdleMs, claimIntervalMs, blockMs);
  const deadConsumerIdleMs = positiveInt('deadConsumerIdleMs', options.deadConsumerIdleMs ?? Math.max(DEFAULT_SERVER_OPTIONS.deadConsumerIdleMs, 10 * slowest));
  if (deadConsumerIdleMs < 2 * slowest) {
    throw new Error(`streams option deadConsumerIdleMs (${deadConsumerIdleMs}) must be at least twice claimIdleMs, claimIntervalMs and blockMs (${slowest})`);
  }
  const retryBackoffMs = duration('retryBackoffMs', options.retryBackoffMs ?? DEFAULT_SERVER_OPTIONS.retryBackoffMs);
  const retryBackoffMaxMs = duration('retryBackoffMaxMs', options.retryBackoffMaxMs ?? Math.max(DEFAULT_SERVER_OPTIONS.retryBackoffMaxMs, retryBackoffMs));
  if (retryBackoffMaxMs < retryBackoffMs) {
    throw new Error(`streams option retryBackoffMaxMs (${retryBackoffMaxMs}) must be at least retryBackoffMs (${retryBackoffMs}): it caps the doubling backoff`);
  }
  return {
    redisUrl: options.redisUrl,
    namespace: normalizeNamespace(options.namespace),
    service: options.service,
    consumer: options.consumer || defaultConsumerName(),
    concurrency: positiveInt('concurrency', options.concurrency ?? DEFAULT_SERVER_OPTIONS.concurrency),
    maxDeliveries: positiveInt('maxDeliveries', options.maxDeliveries ?? DEFAULT_SERVER_OPTIONS.maxDeliveries),
    retryBackoffMs,
    retryBackoffMaxMs,
    claimIdleMs,
    claimIntervalMs,
    blockMs,
    deadConsumerIdleMs,
    shutdownTimeoutMs: duration('shutdownTimeoutMs', options.shutdownTimeoutMs ?? DEFAULT_SERVER_OPTIONS.shutdownTimeoutMs),
    maxLen: { ...DEFAULT_MAX_LENGTHS, ...options.maxLen },
  };
}
