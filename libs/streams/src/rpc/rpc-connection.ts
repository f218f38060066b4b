export interface RpcConnectionOptions {
  /** e.g. redis://127.0.0.1:6379/0 */
  readonly redisUrl: string;
  /**
   * Prefix of every RPC channel (`${namespace}${pattern}` and `${namespace}${pattern}.reply`).
   * Pub/sub channels ignore the database number, so this is the only isolation between
   * deployments or parallel test suites sharing one Redis.
   */
  readonly namespace?: string;
}

export interface RedisConnectionFields {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db?: number;
  tls?: Record<string, never>;
}

/** ioredis connection fields from a redis:// URL, as Nest's Redis transport takes them. */
export function redisOptionsFromUrl(redisUrl: string): RedisConnectionFields {
  const url = new URL(redisUrl);
  const db = url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0;
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : 6379,
    ...(url.username && { username: decodeURIComponent(url.username) }),
    ...(url.password && { password: decodeURIComponent(url.password) }),
    ...(db > 0 && { db }),
    ...(url.protocol === 'rediss:' && { tls: {} }),
  };
}
