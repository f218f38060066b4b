import { randomUUID } from 'node:crypto';
import { LuaCommand } from '@trading/streams';
import type Redis from 'ioredis';

const RELEASE = new LuaCommand<number>(
  'engineReleaseOrderLock',
  `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`,
  1,
);
const RENEW = new LuaCommand<number>(
  'engineRenewOrderLock',
  `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`,
  1,
);

export class LockBusyError extends Error {
  constructor(key: string, waitedMs: number) {
    super(`lock ${key} still held by another engine after ${waitedMs} ms`);
    this.name = 'LockBusyError';
  }
}

export interface BotOrderLockOptions {
  readonly namespace: string;
  readonly ttlMs: number;
  /** How long to wait for the lock before giving up (the stream redelivers the message later). */
  readonly waitMs?: number;
}

/**
 * `lock:order:{botId}`: SET NX PX with a random token, renewed every ttl/3 while held, released only by its
 * holder (compare-and-delete script). Serializes one bot's order placement across engine instances.
 */
export class BotOrderLock {
  constructor(
    private readonly redis: Redis,
    private readonly options: BotOrderLockOptions,
  ) {}

  key(botId: string): string {
    return `${this.options.namespace}lock:order:${botId}`;
  }

  async withLock<T>(botId: string, work: () => Promise<T>): Promise<T> {
    const key = this.key(botId);
    const token = randomUUID();
    const waitMs = this.options.waitMs ?? 30_000;
    const started = Date.now();
    let pause = 2;
    while ((await this.redis.set(key, token, 'PX', this.options.ttlMs, 'NX')) !== 'OK') {
      if (Date.now() - started > waitMs) throw new LockBusyError(key, Date.now() - started);
      await new Promise((resolve) => setTimeout(resolve, pause + Math.random() * pause));
      pause = Math.min(pause * 2, 20);
    }
    const renewal = setInterval(() => {
      RENEW.run(this.redis, [key], [token, String(this.options.ttlMs)]).catch(() => undefined);
    }, Math.max(100, Math.floor(this.options.ttlMs / 3)));
    try {
      return await work();
    } finally {
      clearInterval(renewal);
      await RELEASE.run(this.redis, [key], [token]).catch(() => undefined);
    }
  }
}
