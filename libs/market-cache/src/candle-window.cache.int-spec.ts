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
