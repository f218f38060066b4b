import { randomUUID } from 'node:crypto';
import { LuaCommand } from '@trading/streams';
import type Redis from 'ioredis';
import { abortableSleep } from './abortable-sleep';

/** Extends the lease only for its holder; answers the holder's token (nil once the key expired). */
const EXTEND = new LuaCommand<string | null>(
  'marketDataExtendFeedLease',
  `local holder = redis.call('get', KEYS[1])
if holder == ARGV[1] then redis.call('pexpire', KEYS[1], ARGV[2]) end
return holder`,
  1,
);
const RELEASE = new LuaCommand<number>(
  'marketDataReleaseFeedLease',
  `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`,
  1,
);

export interface FeedLeaseOptions {
  /** The Redis key, namespace included. */
  readonly key: string;
  /** This instance's name, shown as the holder; a random suffix keeps two processes of one name apart. */
  readonly owner: string;
  readonly ttlMs: number;
}

export type LeaseOutcome = 'stopped' | 'lost';

/**
 * One feed's lease in Redis: `SET key token NX PX ttl` to take it, a compare-and-extend script to renew it
 * every ttl/3, a compare-and-delete script to give it back. Only the holder runs the feed; the others stand by
 * and take it when it is released or expires (holder crashed).
 */
export class FeedLease {
  readonly token: string;
  /** Owner name of the holder seen last (this instance's own while it holds the lease), null when nobody held it. */
  holder: string | null = null;
  /** When the newest successful take or renewal was sent: the key lives at least until this + ttl. */
  private confirmedAt = 0;

  constructor(
    private readonly redis: Redis,
    readonly options: FeedLeaseOptions,
  ) {
    this.token = `${options.owner}/${randomUUID()}`;
  }

  get key(): string {
    return this.options.key;
  }

  get renewEveryMs(): number {
    return Math.max(1, Math.floor(this.options.ttlMs / 3));
  }

  /**
   * Takes the lease when nobody holds it (true), or finds it ours still (a renewal of ours that timed out but
   * went through, so the key kept our token); false when another instance holds it.
   */
  async acquire(): Promise<boolean> {
    const sentAt = Date.now();
    if ((await this.redis.set(this.key, this.token, 'PX', this.options.ttlMs, 'NX')) === 'OK') {
      this.confirm(sentAt);
      return true;
    }
    return this.renew();
  }

  /** Extends the lease if this instance holds it; false (and the holder seen updated) otherwise. */
  async renew(): Promise<boolean> {
    const sentAt = Date.now();
    const holder = await EXTEND.run(this.redis, [this.key], [this.token, this.options.ttlMs]);
    if (holder === this.token) {
      this.confirm(sentAt);
      return true;
    }
    this.holder = holder ? ownerOf(holder) : null;
    return false;
  }

  /** Deletes the key if this instance still holds it; never someone else's. True when it was ours. */
  async release(): Promise<boolean> {
    const deleted = (await RELEASE.run(this.redis, [this.key], [this.token])) === 1;
    if (this.holder === this.options.owner) this.holder = null;
    return deleted;
  }

  /**
   * Renews every ttl/3 until `signal` aborts ('stopped') or the lease is lost ('lost'): another holder or no key
   * found, or renewals failing (Redis unreachable, a renewal left unanswered for ttl/3) until the key could expire
   * before the next try. The holder stops at about 2/3 of the ttl without a confirmed renewal, before a standby can
   * take the expired key.
   */
  async keep(signal: AbortSignal, onError?: (error: unknown) => void): Promise<LeaseOutcome> {
    const every = this.renewEveryMs;
    for (;;) {
      await abortableSleep(every, signal);
      if (signal.aborted) return 'stopped';
      try {
        if (!(await withTimeout(this.renew(), every, `lease renewal unanswered after ${every} ms`))) return 'lost';
      } catch (error) {
        onError?.(error);
        if (Date.now() + every >= this.confirmedAt + this.options.ttlMs) return 'lost';
      }
    }
  }

  private confirm(sentAt: number): void {
    this.confirmedAt = sentAt;
    this.holder = this.options.owner;
  }
}

function ownerOf(token: string): string {
  const slash = token.lastIndexOf('/');
  return slash > 0 ? token.slice(0, slash) : token;
}

function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
