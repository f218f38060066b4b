import { Logger } from '@nestjs/common';
import { revokedSessionKey } from '@trading/contracts';
import type Redis from 'ioredis';

/**
 * Tells the gateways that access tokens ended before their expiry (logout, password change,
 * refresh-token reuse). Entries live as long as an access token can, then expire on their own.
 * PostgreSQL stays the truth for refresh tokens; a Redis outage here only lets an already issued
 * access token live out its short life, so it is logged, not fatal.
 */
export class SessionRevocations {
  private readonly logger = new Logger(SessionRevocations.name);

  constructor(
    private readonly redis: Redis,
    private readonly namespace: string,
    private readonly accessTtlSeconds: number,
  ) {}

  /** Sessions created after this may still have a live access token. */
  liveTokensSince(now: Date): Date {
    return new Date(now.getTime() - (this.accessTtlSeconds + 5) * 1000);
  }

  async revokeSessions(sids: readonly string[]): Promise<void> {
    if (sids.length === 0) return;
    try {
      const pipeline = this.redis.pipeline();
      for (const sid of new Set(sids)) pipeline.set(revokedSessionKey(this.namespace, sid), '1', 'EX', this.accessTtlSeconds + 5);
      await pipeline.exec();
    } catch (error) {
      this.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'could not publish a token revocation');
    }
  }
}
