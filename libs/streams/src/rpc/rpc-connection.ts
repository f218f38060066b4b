export interface RpcConnectionOptions {
  /** e.g. redis://127.0.0.1:6379/0 */
  readonly redisUrl: string;
  /**
   * Prefix of every RPC channel (requests on `${namespace}${pattern}`, replies on `${namespace}rpc.reply.<client id>`).
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

/**
 * Each RPC client has its own reply channel, named in every request id (`<client id>.<request uuid>`), so a
 * service answers only the client that asked: a reply is not fanned out to every gateway and service that
 * calls the same pattern, and a client subscribes once instead of per call.
 */
const REQUEST_ID = /^([0-9a-f]{32})\.[0-9a-f-]{36}$/;

export function replyChannel(namespace: string, clientId: string): string {
  return `${namespace}rpc.reply.${clientId}`;
}

/** The reply channel a request id names, or undefined for an id without one. */
export function replyChannelOfRequest(namespace: string, requestId: unknown): string | undefined {
  const match = typeof requestId === 'string' ? REQUEST_ID.exec(requestId) : null;
  return match ? replyChannel(namespace, match[1]) : undefined;
}
