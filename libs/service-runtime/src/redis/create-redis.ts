import Redis, { RedisOptions } from 'ioredis';

/**
 * An ioredis client that reconnects forever with capped backoff (Redis restarts must not kill a service).
 * Commands issued in the same tick go out in one write (auto-pipelining): under load a request's session
 * check and rate-limit count share round trips with other requests'.
 */
export function createRedis(url: string, name: string, extra: RedisOptions = {}): Redis {
  return new Redis(url, {
    connectionName: name,
    lazyConnect: false,
    enableAutoPipelining: true,
    maxRetriesPerRequest: 3,
    retryStrategy: (attempt) => Math.min(100 * 2 ** Math.min(attempt, 5), 2000),
    reconnectOnError: () => true,
    ...extra,
  });
}
