import { LuaCommand } from '@trading/streams';
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
const APPEND = new LuaCommand<number>(
  'marketCacheAppendCandle',
  `
local last = redis.call('LINDEX', KEYS[1], -1)
local t = tonumber(ARGV[1])
if last then
  local lastTime = tonumber(string.match(last, '^%[(%d+),'))
  if lastTime and lastTime >= t then return 0 end
end
redis.call('RPUSH', KEYS[1], ARGV[2])
redis.call('LTRIM', KEYS[1], -tonumber(ARGV[3]), -1)
return 1
`,
  1,
);

/**
 * Puts a candle at its time, keeping times strictly increasing: appended when it is the newest (the usual
 * case: one LINDEX), else found by binary search and either replaces the entry of the same time (a corrected
 * candle) or is inserted before the first later one (a repaired gap); then trimmed to the window size. A
 * candle older than every entry of a full window is not kept. Returns 0 unchanged, 1 appended, 2 replaced,
 * 3 inserted. Atomic.
 */
const PLACE = new LuaCommand<0 | 1 | 2 | 3>(
  'marketCachePlaceCandle',
  `
local key = KEYS[1]
local t = tonumber(ARGV[1])
local entry = ARGV[2]
local size = tonumber(ARGV[3])
local len = redis.call('LLEN', key)
local function timeAt(i)
  local at = tonumber(string.match(redis.call('LINDEX', key, i), '^%[([^,]+),'))
  if not at then error('candle window entry ' .. i .. ' of ' .. key .. ' has no time') end
  return at
end
if len == 0 or timeAt(len - 1) < t then
  redis.call('RPUSH', key, entry)
  redis.call('LTRIM', key, -size, -1)
  return 1
end
local lo, hi = 0, len - 1
while lo < hi do
  local mid = math.floor((lo + hi) / 2)
  if timeAt(mid) >= t then hi = mid else lo = mid + 1 end
end
local found = redis.call('LINDEX', key, lo)
if timeAt(lo) == t then
  if found == entry then return 0 end
  redis.call('LSET', key, lo, entry)
  return 2
end
if lo == 0 and len >= size then return 0 end
redis.call('LINSERT', key, 'BEFORE', found, entry)
redis.call('LTRIM', key, -size, -1)
return 3
`,
  1,
);

/**
 * The newest ARGV[1] entries whose time is at or before ARGV[2] ('' = no bound), oldest first, so a
 * reader of a few hundred candles neither transfers nor parses the whole window. The append script
 * keeps times strictly increasing, so the last entry at or before the bound is found by binary
 * search (LINDEX, a handful per read) when the newest entry is after it (a replay ahead of the
 * reader); live, the newest entry is the bound and one LINDEX decides.
 */
const WINDOW = new LuaCommand<string[]>(
  'marketCacheCandleWindow',
  `
local key = KEYS[1]
local count = tonumber(ARGV[1])
local len = redis.call('LLEN', key)
if len == 0 then return {} end
local last = len - 1
if ARGV[2] ~= '' then
  local bound = tonumber(ARGV[2])
  local function timeAt(i)
    local t = tonumber(string.match(redis.call('LINDEX', key, i), '^%[([^,]+),'))
    if not t then error('candle window entry ' .. i .. ' of ' .. key .. ' has no time') end
    return t
  end
  if timeAt(last) > bound then
    if timeAt(0) > bound then return {} end
    local lo, hi = 0, last
    while hi - lo > 1 do
      local mid = math.floor((lo + hi) / 2)
      if timeAt(mid) <= bound then lo = mid else hi = mid end
    end
    last = lo
  end
end
return redis.call('LRANGE', key, math.max(0, last - count + 1), last)
`,
  1,
);

export function encodeCandle(c: CachedCandle): string {
  return JSON.stringify([c.time, c.open, c.high, c.low, c.close, c.volume]);
}

export function decodeCandle(raw: string): CachedCandle {
  const [time, open, high, low, close, volume] = JSON.parse(raw) as [number, string, string, string, string, string];
  return { time, open, high, low, close, volume };
}

/** Reads run their script by its SHA1 (LuaCommand): the text crosses the connection once per Redis, not on every read. */
export class CandleWindowCache {
  constructor(
    private readonly redis: Redis,
    private readonly namespace: string,
    /** Candles kept per exchange/symbol/timeframe: enough for the longest strategy warm-up. */
    readonly windowSize = 1000,
  ) {}

  /** Queues the appends on a pipeline of this cache's connection (no round trip); the caller executes it. */
  appendTo(pipeline: ReturnType<Redis['pipeline']>, exchange: string, symbol: string, timeframe: string, candle: CachedCandle): void {
    APPEND.queue(pipeline, [ohlcvKey(this.namespace, exchange, symbol, timeframe)], [candle.time, encodeCandle(candle), this.windowSize]);
  }

  async append(exchange: string, symbol: string, timeframe: string, candle: CachedCandle): Promise<boolean> {
    const added = await APPEND.run(this.redis, [ohlcvKey(this.namespace, exchange, symbol, timeframe)], [candle.time, encodeCandle(candle), this.windowSize]);
    return added === 1;
  }

  /**
   * Queues a candle put at its place (see PLACE): appended, inserted into a gap, or replacing the
   * cached candle of the same time. For late and corrected candles; `appendTo` ignores those.
   */
  placeTo(pipeline: ReturnType<Redis['pipeline']>, exchange: string, symbol: string, timeframe: string, candle: CachedCandle): void {
    PLACE.queue(pipeline, [ohlcvKey(this.namespace, exchange, symbol, timeframe)], [candle.time, encodeCandle(candle), this.windowSize]);
  }

  /** Like placeTo, in its own round trip: 0 unchanged, 1 appended, 2 replaced, 3 inserted. */
  async place(exchange: string, symbol: string, timeframe: string, candle: CachedCandle): Promise<0 | 1 | 2 | 3> {
    return PLACE.run(this.redis, [ohlcvKey(this.namespace, exchange, symbol, timeframe)], [candle.time, encodeCandle(candle), this.windowSize]);
  }

  /**
   * The newest `count` closed candles up to and including `until` (epoch ms), oldest first: one
   * script that returns only those entries. Candles after `until` are left out (a replay may have
   * cached ahead of the reader).
   */
  async window(exchange: string, symbol: string, timeframe: string, count: number, until?: number): Promise<CachedCandle[]> {
    if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`candle window count must be a non-negative integer, got ${count}`);
    if (until !== undefined && !Number.isFinite(until)) throw new RangeError(`candle window bound must be a finite time, got ${until}`);
    if (count === 0) return [];
    const raw = await WINDOW.run(this.redis, [ohlcvKey(this.namespace, exchange, symbol, timeframe)], [count, until ?? '']);
    return raw.map(decodeCandle);
  }
}
