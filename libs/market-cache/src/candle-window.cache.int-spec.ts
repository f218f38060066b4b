import Redis from 'ioredis';
import { testRedisUrl, uniqueRedisNamespace } from '@trading/testing';
import { CandleWindowCache } from './candle-window.cache';
import { TickerCache } from './ticker.cache';
import { ohlcvKey, tickerKey } from './market-cache-keys';

describe('market cache on a real Redis', () => {
  const redis = new Redis(testRedisUrl());
  const ns = uniqueRedisNamespace('market-cache');
  const candle = (minute: number) => ({ time: minute * 60_000, open: '1.5', high: '2', low: '1', close: `1.${minute}`, volume: '3' });

  afterAll(async () => {
    const keys = await redis.keys(`${ns}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('keeps the last N candles, oldest first, and ignores replays and older candles', async () => {
    const cache = new CandleWindowCache(redis, ns, 3);
    for (let m = 0; m < 5; m++) expect(await cache.append('binance', 'BTC/USDT', '1m', candle(m))).toBe(true);
    expect(await cache.append('binance', 'BTC/USDT', '1m', candle(4))).toBe(false);
    expect(await cache.append('binance', 'BTC/USDT', '1m', candle(1))).toBe(false);
    const window = await cache.window('binance', 'BTC/USDT', '1m', 10);
    expect(window.map((c) => c.time)).toEqual([2, 3, 4].map((m) => m * 60_000));
    expect(window[2]).toEqual(candle(4));
    expect(await redis.llen(ohlcvKey(ns, 'binance', 'BTC/USDT', '1m'))).toBe(3);
    expect((await cache.window('binance', 'BTC/USDT', '1m', 2, 3 * 60_000)).map((c) => c.time)).toEqual([2 * 60_000, 3 * 60_000]);
  });

  describe('reading the tail of the window', () => {
    // 10 cached candles at minutes 0, 2, 4, ..., 18 (gaps, so a bound can fall between two candles).
    const minutes = Array.from({ length: 10 }, (_, i) => i * 2);
    const cache = new CandleWindowCache(redis, ns, 1000);
    const times = (candles: { time: number }[]) => candles.map((c) => c.time / 60_000);

    beforeAll(async () => {
      for (const m of minutes) await cache.append('binance', 'ETH/USDT', '1m', candle(m));
    });

    it('returns only the newest n when the list is longer', async () => {
      expect(times(await cache.window('binance', 'ETH/USDT', '1m', 3))).toEqual([14, 16, 18]);
      expect(times(await cache.window('binance', 'ETH/USDT', '1m', 3, 18 * 60_000))).toEqual([14, 16, 18]);
      expect(times(await cache.window('binance', 'ETH/USDT', '1m', 1, 40 * 60_000))).toEqual([18]);
    });

    it('leaves out candles after a bound in the middle of the list, on a candle or between two', async () => {
      expect(times(await cache.window('binance', 'ETH/USDT', '1m', 3, 8 * 60_000))).toEqual([4, 6, 8]);
      expect(times(await cache.window('binance', 'ETH/USDT', '1m', 3, 9 * 60_000))).toEqual([4, 6, 8]);
      expect(times(await cache.window('binance', 'ETH/USDT', '1m', 2, 0))).toEqual([0]);
      expect(await cache.window('binance', 'ETH/USDT', '1m', 5, -1)).toEqual([]);
      const [exact] = await cache.window('binance', 'ETH/USDT', '1m', 1, 12 * 60_000);
      expect(exact).toEqual(candle(12));
    });

    it('returns the whole list, oldest first, when it is shorter than n', async () => {
      expect(times(await cache.window('binance', 'ETH/USDT', '1m', 50))).toEqual(minutes);
      expect(times(await cache.window('binance', 'ETH/USDT', '1m', 50, 7 * 60_000))).toEqual([0, 2, 4, 6]);
      expect(await cache.window('binance', 'ETH/USDT', '1m', 50, 7 * 60_000)).toEqual([0, 2, 4, 6].map(candle));
    });

    it('agrees with filtering the whole list for every bound and count', async () => {
      const all = minutes.map(candle);
      for (let bound = -1; bound <= 20; bound++) {
        for (let count = 1; count <= 11; count++) {
          const upTo = all.filter((c) => c.time <= bound * 60_000);
          expect(await cache.window('binance', 'ETH/USDT', '1m', count, bound * 60_000)).toEqual(upTo.slice(Math.max(0, upTo.length - count)));
        }
      }
    });

    it('returns nothing for an empty window or a count of 0, and refuses a malformed count or bound', async () => {
      expect(await cache.window('binance', 'NONE/USDT', '1m', 5)).toEqual([]);
      expect(await cache.window('binance', 'NONE/USDT', '1m', 5, 60_000)).toEqual([]);
      expect(await cache.window('binance', 'ETH/USDT', '1m', 0)).toEqual([]);
      await expect(cache.window('binance', 'ETH/USDT', '1m', 2.5)).rejects.toThrow(RangeError);
      await expect(cache.window('binance', 'ETH/USDT', '1m', -1)).rejects.toThrow(RangeError);
      await expect(cache.window('binance', 'ETH/USDT', '1m', 3, Number.NaN)).rejects.toThrow(RangeError);
    });

    it('reads what a replay cached ahead of the reader only up to the reader\'s candle', async () => {
      const replay = new CandleWindowCache(redis, ns, 5);
      for (let m = 100; m < 112; m++) await replay.append('binance', 'SOL/USDT', '1m', candle(m));
      // The window kept minutes 107..111; a reader at 109 sees 107..109, one at 106 (trimmed away) nothing.
      expect(times(await replay.window('binance', 'SOL/USDT', '1m', 10, 109 * 60_000))).toEqual([107, 108, 109]);
      expect(await replay.window('binance', 'SOL/USDT', '1m', 10, 106 * 60_000)).toEqual([]);
    });
  });

  describe('putting a late or corrected candle at its place', () => {
    const cache = new CandleWindowCache(redis, ns, 5);
    const minutesOf = async (symbol: string) => (await cache.window('binance', symbol, '1m', 10)).map((c) => c.time / 60_000);

    it('appends the newest, inserts a repaired minute into its gap, and replaces a corrected one, keeping times increasing', async () => {
      for (const m of [10, 11, 14]) expect(await cache.place('binance', 'XRP/USDT', '1m', candle(m))).toBe(1);
      expect(await cache.place('binance', 'XRP/USDT', '1m', candle(12))).toBe(3);
      expect(await cache.place('binance', 'XRP/USDT', '1m', candle(13))).toBe(3);
      expect(await minutesOf('XRP/USDT')).toEqual([10, 11, 12, 13, 14]);
      const corrected = { ...candle(12), high: '2.5', volume: '7' };
      expect(await cache.place('binance', 'XRP/USDT', '1m', corrected)).toBe(2);
      expect(await cache.place('binance', 'XRP/USDT', '1m', corrected)).toBe(0);
      expect((await cache.window('binance', 'XRP/USDT', '1m', 10))[2]).toEqual(corrected);
      // the window reader's binary search still finds every bound
      expect((await cache.window('binance', 'XRP/USDT', '1m', 2, 12 * 60_000)).map((c) => c.time / 60_000)).toEqual([11, 12]);
    });

    it('keeps the window size, dropping the oldest, and does not keep a candle older than a full window', async () => {
      for (const m of [20, 21, 22, 24, 25]) await cache.place('binance', 'LTC/USDT', '1m', candle(m));
      expect(await cache.place('binance', 'LTC/USDT', '1m', candle(23))).toBe(3);
      expect(await minutesOf('LTC/USDT')).toEqual([21, 22, 23, 24, 25]);
      expect(await cache.place('binance', 'LTC/USDT', '1m', candle(19))).toBe(0);
      expect(await minutesOf('LTC/USDT')).toEqual([21, 22, 23, 24, 25]);
    });

    it('queues on a pipeline like appendTo', async () => {
      const pipeline = redis.pipeline();
      for (const m of [3, 1, 2]) cache.placeTo(pipeline, 'binance', 'TRX/USDT', '1m', candle(m));
      await pipeline.exec();
      expect(await minutesOf('TRX/USDT')).toEqual([1, 2, 3]);
    });
  });

  it('writes tickers as a hash with a 60 s TTL', async () => {
    const tickers = new TickerCache(redis, ns);
    const pipeline = redis.pipeline();
    tickers.writeTo(pipeline, 'binance', 'BTC/USDT', { last: '100.5', bid: '100.4', ask: '100.6', baseVolume: '12', time: '2021-01-03T00:00:00.000Z' });
    await pipeline.exec();
    expect(await tickers.read('binance', 'BTC/USDT')).toEqual({ last: '100.5', bid: '100.4', ask: '100.6', baseVolume: '12', time: '2021-01-03T00:00:00.000Z' });
    const ttl = await redis.ttl(tickerKey(ns, 'binance', 'BTC/USDT'));
    expect(ttl).toBeGreaterThan(50);
    expect(ttl).toBeLessThanOrEqual(60);
  });
});
