import { LuaCommand } from '@trading/streams';
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

/**
 * Writes the ticker hash unless it holds a newer one: the exchange time (`timeMs`, epoch ms) of the cached ticker
 * is compared with ARGV[1], and a later cached one is kept, with its receipt time and expiry untouched (a ticker
 * at the same time is written: the price was received again, so it is still current). ARGV[2] = '1' skips the
 * comparison (a replay starting over). ARGV[3] is the TTL, then field/value pairs. Returns 1 written, 0 kept.
 */
const WRITE = new LuaCommand<number>(
  'marketCacheWriteTicker',
  `
if ARGV[2] ~= '1' then
  local cached = tonumber(redis.call('HGET', KEYS[1], 'timeMs'))
  if cached and cached > tonumber(ARGV[1]) then return 0 end
end
redis.call('HSET', KEYS[1], unpack(ARGV, 4))
redis.call('EXPIRE', KEYS[1], ARGV[3])
return 1
`,
  1,
);

export interface TickerWriteOptions {
  /**
   * The feed starts over in time (a replay's first batch): the ticker replaces the cached one even when that is
   * newer, so a replay restarted from an older day prices the market from its own data at once, not only after the
   * cached ticker of the later day expired.
   */
  readonly rewind?: boolean;
}

/**
 * The latest ticker per market, for readers that need the current price (paper fills, manual orders). The same rule
 * as the PostgreSQL row (market.tickers): an older ticker, by exchange time, never replaces a newer one.
 */
export class TickerCache {
  constructor(
    private readonly redis: Redis,
    private readonly namespace: string,
  ) {}

  /**
   * Queues the write, conditional on time and atomic (WRITE): a ticker older than the cached one (an
   * out-of-order delivery, a second feed of the market, a late REST answer) leaves the cached one as it is.
   * Also stamps `receivedAt` (this process's clock, epoch ms): a ticker's own time says when the exchange priced
   * it, which for a replay is history; only the receipt time tells whether the price is still current.
   */
  writeTo(pipeline: ReturnType<Redis['pipeline']>, exchange: string, symbol: string, ticker: CachedTicker, receivedAt = Date.now(), options: TickerWriteOptions = {}): void {
    const timeMs = Date.parse(ticker.time);
    if (!Number.isSafeInteger(timeMs)) throw new RangeError(`ticker time must be an ISO-8601 date, got ${JSON.stringify(ticker.time)}`);
    if (!Number.isSafeInteger(receivedAt)) throw new RangeError(`ticker receipt time must be epoch milliseconds, got ${receivedAt}`);
    const fields = { ...ticker, timeMs: String(timeMs), receivedAt: String(receivedAt) };
    WRITE.queue(pipeline, [tickerKey(this.namespace, exchange, symbol)], [timeMs, options.rewind ? '1' : '0', TICKER_TTL_SECONDS, ...Object.entries(fields).flat()]);
  }

  /** Like writeTo, in its own round trip; resolves whether the ticker was written (false: a newer one is cached). */
  async write(exchange: string, symbol: string, ticker: CachedTicker, receivedAt = Date.now(), options: TickerWriteOptions = {}): Promise<boolean> {
    const pipeline = this.redis.pipeline();
    this.writeTo(pipeline, exchange, symbol, ticker, receivedAt, options);
    const [error, written] = (await pipeline.exec())?.[0] ?? [new Error('ticker write: no reply from Redis'), null];
    if (error) throw error;
    return written === 1;
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
