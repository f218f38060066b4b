import Redis from 'ioredis';

export interface ConnectionOptions {
  /** Shown in CLIENT LIST, helps when a connection misbehaves. */
  name: string;
  /** false for the blocking reader: a blocked connection cannot serve anything else. */
  autoPipelining?: boolean;
}

/**
 * A connection that survives Redis restarts: it retries forever with a capped backoff and
 * keeps commands queued (maxRetriesPerRequest: null) instead of failing them after a few
 * attempts, so a restart looks like a pause to callers.
 */
export function createRedisConnection(url: string, options: ConnectionOptions): Redis {
  return new Redis(url, {
    connectionName: options.name.replace(/[^\w.:-]/g, '_'),
    maxRetriesPerRequest: null,
    enableAutoPipelining: options.autoPipelining ?? true,
    retryStrategy: (attempt) => Math.min(50 * 2 ** Math.min(attempt, 6), 2_000),
    reconnectOnError: (error) => error.message.startsWith('READONLY'),
  });
}
