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

  /**
   * Also stamps `receivedAt` (this process's clock, epoch ms): a ticker's own time says when the exchange priced
   * it, which for a replay is history; only the receipt time tells whether the price is still current.
   */
  writeTo(pipeline: ReturnType<Redis['pipeline']>, exchange: string, symbol: string, ticker: CachedTicker, receivedAt = Date.now()): void {
    const key = tickerKey(this.namespace, exchange, symbol);
    pipeline.hset(key, { ...ticker, receivedAt: String(receivedAt) });
    pipeline.expire(key, TICKER_TTL_SECONDS);
  }

  async read(exchange: string, symbol: string): Promise<CachedTicker | null> {
    return (await this.readReceived(exchange, symbol))?.ticker ?? null;
  }

  /** The ticker and when it was cached (epoch ms; null for an entry written without a receipt time). */
  async readReceived(exchange: string, symbol: string): Promise<ReceivedTicker | null> {
    const hash = await this.redis.hgetall(tickerKey(this.namespace, exchange, symbol));
    if (!hash.last) return null;
    const receivedAt = hash.receivedAt === undefined ? NaN : Number(hash.receivedAt);
    return {
      ticker: { last: hash.last, bid: hash.bid, ask: hash.ask, baseVolume: hash.baseVolume, time: hash.time },
      receivedAt: Number.isSafeInteger(receivedAt) ? receivedAt : null,
    };
  }
}

export interface ReceivedTicker {
  readonly ticker: CachedTicker;
  /** When the writer cached it, epoch ms of its clock; null when unknown. */
  readonly receivedAt: number | null;
}
