import Redis from 'ioredis';
import { testRedisUrl, uniqueRedisNamespace } from '@trading/testing';
import { tickerKey } from './market-cache-keys';
import { TickerCache } from './ticker.cache';

describe('ticker cache receipt time on a real Redis', () => {
  const redis = new Redis(testRedisUrl());
  const ns = uniqueRedisNamespace('ticker-cache');
  const tickers = new TickerCache(redis, ns);
  const replayTicker = { last: '29000.5', bid: '29000.4', ask: '29000.6', baseVolume: '12', time: '2021-01-03T23:59:00.000Z' };

  afterAll(async () => {
    const keys = await redis.keys(`${ns}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('stamps when the ticker was cached, apart from its exchange time, and reads both back', async () => {
    const pipeline = redis.pipeline();
    tickers.writeTo(pipeline, 'binance', 'BTC/USDT', replayTicker, 1_772_366_400_000);
    await pipeline.exec();
    expect(await tickers.readReceived('binance', 'BTC/USDT')).toEqual({ ticker: replayTicker, receivedAt: 1_772_366_400_000 });
    // read() keeps answering the ticker alone
    expect(await tickers.read('binance', 'BTC/USDT')).toEqual(replayTicker);
  });

  it('stamps the writer’s clock by default', async () => {
    const before = Date.now();
    const pipeline = redis.pipeline();
    tickers.writeTo(pipeline, 'binance', 'ETH/USDT', replayTicker);
    await pipeline.exec();
    const received = await tickers.readReceived('binance', 'ETH/USDT');
    expect(received?.receivedAt).toBeGreaterThanOrEqual(before);
    expect(received?.receivedAt).toBeLessThanOrEqual(Date.now());
  });

  describe('an older ticker never replaces a newer one (the rule of the market.tickers row)', () => {
    const at = (iso: string, last: string) => ({ last, bid: last, ask: last, baseVolume: '1', time: iso });
    const key = () => tickerKey(ns, 'binance', 'ADA/USDT');

    it('keeps the newer ticker with its receipt time and expiry when an older one arrives late', async () => {
      expect(await tickers.write('binance', 'ADA/USDT', at('2026-01-05T10:00:02.000Z', '0.52'), 1_000)).toBe(true);
      await redis.expire(key(), 30); // as if written 30 s ago
      // A REST answer sent before the websocket ticker, received after it.
      expect(await tickers.write('binance', 'ADA/USDT', at('2026-01-05T10:00:01.000Z', '0.51'), 2_000)).toBe(false);
      expect(await tickers.readReceived('binance', 'ADA/USDT')).toEqual({ ticker: at('2026-01-05T10:00:02.000Z', '0.52'), receivedAt: 1_000 });
      expect(await redis.ttl(key())).toBeLessThanOrEqual(30);
      // A newer one replaces it and starts a new expiry.
      expect(await tickers.write('binance', 'ADA/USDT', at('2026-01-05T10:00:03.000Z', '0.53'), 3_000)).toBe(true);
      expect(await tickers.readReceived('binance', 'ADA/USDT')).toEqual({ ticker: at('2026-01-05T10:00:03.000Z', '0.53'), receivedAt: 3_000 });
      expect(await redis.ttl(key())).toBeGreaterThan(30);
    });

    it('takes a ticker of the same time again: the price was received again, so it is still current', async () => {
      expect(await tickers.write('binance', 'ADA/USDT', at('2026-01-05T10:00:03.000Z', '0.53'), 4_000)).toBe(true);
      expect((await tickers.readReceived('binance', 'ADA/USDT'))?.receivedAt).toBe(4_000);
    });

    it('lets a replay that starts over rewind it to an older day at once', async () => {
      expect(await tickers.write('binance', 'ADA/USDT', at('2021-01-03T00:01:00.000Z', '0.17'), 5_000)).toBe(false);
      expect(await tickers.write('binance', 'ADA/USDT', at('2021-01-03T00:01:00.000Z', '0.17'), 5_000, { rewind: true })).toBe(true);
      // and the replay goes on from there
      expect(await tickers.write('binance', 'ADA/USDT', at('2021-01-03T00:02:00.000Z', '0.18'), 6_000)).toBe(true);
      expect(await tickers.readReceived('binance', 'ADA/USDT')).toEqual({ ticker: at('2021-01-03T00:02:00.000Z', '0.18'), receivedAt: 6_000 });
    });

    it('keeps the newest of tickers arriving out of order at once, on several connections', async () => {
      const times = Array.from({ length: 40 }, (_, i) => `2026-01-05T11:00:${String(i).padStart(2, '0')}.000Z`);
      const shuffled = times.map((_, i) => times[(i * 7) % 40]); // a fixed permutation; the newest is not last
      const other = new Redis(testRedisUrl());
      try {
        const writers = [tickers, new TickerCache(other, ns)];
        await Promise.all(shuffled.map((t, i) => writers[i % 2].write('binance', 'DOT/USDT', at(t, `5.${i}`))));
      } finally {
        other.disconnect();
      }
      expect((await tickers.read('binance', 'DOT/USDT'))?.time).toBe(times[times.length - 1]);
    });

    it('refuses a ticker without a valid time rather than caching it', async () => {
      await expect(tickers.write('binance', 'ADA/USDT', at('yesterday', '1'))).rejects.toThrow(RangeError);
    });
  });

  it('answers an unknown receipt time for entries written without one (or with a malformed one), and null when nothing is cached', async () => {
    await redis.hset(tickerKey(ns, 'binance', 'SOL/USDT'), { ...replayTicker });
    expect(await tickers.readReceived('binance', 'SOL/USDT')).toEqual({ ticker: replayTicker, receivedAt: null });
    await redis.hset(tickerKey(ns, 'binance', 'SOL/USDT'), { receivedAt: 'yesterday' });
    expect((await tickers.readReceived('binance', 'SOL/USDT'))?.receivedAt).toBeNull();
    expect(await tickers.readReceived('binance', 'NONE/USDT')).toBeNull();
  });
});
