import type Redis from 'ioredis';
import { TICKER_TTL_SECONDS, tickerKey } from './market-cache-keys';

export interface CachedTicker {
  readonly last: string;
  readonly bid: string;
  readonly ask: string;
  readonly baseVolume: string;
  /** Exchange time, ISO-8601 UTC. */
  readonly time: string;
}

export class TickerCache {
  constructor(
    private readonly redis: Redis,
    private readonly namespace: string,
  ) {}

  writeTo(pipeline: ReturnType<Redis['pipeline']>, exchange: string, symbol: string, ticker: CachedTicker): void {
    const key = tickerKey(this.namespace, exchange, symbol);
    pipeline.hset(key, { ...ticker });
    pipeline.expire(key, TICKER_TTL_SECONDS);
  }

  async read(exchange: string, symbol: string): Promise<CachedTicker | null> {
    const hash = await this.redis.hgetall(tickerKey(this.namespace, exchange, symbol));
    if (!hash.last) return null;
    return { last: hash.last, bid: hash.bid, ask: hash.ask, baseVolume: hash.baseVolume, time: hash.time };
  }
}
