import type Redis from 'ioredis';
import { ohlcvKey } from './market-cache-keys';

/** A cached closed candle: open time (epoch ms) and exact decimal strings. */
export interface CachedCandle {
  readonly time: number;
  readonly open: string;
  readonly high: string;
  readonly low: string;
  readonly close: string;
  readonly volume: string;
}

/**
 * Appends a candle to the window unless the window already holds it or a later one (so a replay
 * or a second market-data instance adds nothing), then trims to the window size. Atomic.
 * Entries are JSON arrays [time, open, high, low, close, volume].
 */
const APPEND_SCRIPT = `
local last = redis.call('LINDEX', KEYS[1], -1)
local t = tonumber(ARGV[1])
if last then
  local lastTime = tonumber(string.match(last, '^%[(%d+),'))
  if lastTime and lastTime >= t then return 0 end
end
redis.call('RPUSH', KEYS[1], ARGV[2])
redis.call('LTRIM', KEYS[1], -tonumber(ARGV[3]), -1)
return 1
`;

export function encodeCandle(c: CachedCandle): string {
  return JSON.stringify([c.time, c.open, c.high, c.low, c.close, c.volume]);
}

export function decodeCandle(raw: string): CachedCandle {
  const [time, open, high, low, close, volume] = JSON.parse(raw) as [number, string, string, string, string, string];
  return { time, open, high, low, close, volume };
}

export class CandleWindowCache {
  constructor(
    private readonly redis: Redis,
    private readonly namespace: string,
    /** Candles kept per exchange/symbol/timeframe: enough for the longest strategy warm-up. */
    readonly windowSize = 1000,
  ) {}

  /** Queues the appends on a pipeline (no round trip); the caller executes it. */
  appendTo(pipeline: ReturnType<Redis['pipeline']>, exchange: string, symbol: string, timeframe: string, candle: CachedCandle): void {
    pipeline.eval(APPEND_SCRIPT, 1, ohlcvKey(this.namespace, exchange, symbol, timeframe), candle.time, encodeCandle(candle), this.windowSize);
  }

  async append(exchange: string, symbol: string, timeframe: string, candle: CachedCandle): Promise<boolean> {
    const added = await this.redis.eval(APPEND_SCRIPT, 1, ohlcvKey(this.namespace, exchange, symbol, timeframe), candle.time, encodeCandle(candle), this.windowSize);
    return added === 1;
  }

  /** The newest `count` closed candles up to and including `until` (epoch ms), oldest first. */
  async window(exchange: string, symbol: string, timeframe: string, count: number, until?: number): Promise<CachedCandle[]> {
    const raw = await this.redis.lrange(ohlcvKey(this.namespace, exchange, symbol, timeframe), 0, -1);
    const candles = raw.map(decodeCandle);
    const upTo = until === undefined ? candles : candles.filter((c) => c.time <= until);
    return upTo.slice(Math.max(0, upTo.length - count));
  }
}
