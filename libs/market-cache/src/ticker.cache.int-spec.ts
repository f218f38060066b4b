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

  it('answers an unknown receipt time for entries written without one (or with a malformed one), and null when nothing is cached', async () => {
    await redis.hset(tickerKey(ns, 'binance', 'SOL/USDT'), { ...replayTicker });
    expect(await tickers.readReceived('binance', 'SOL/USDT')).toEqual({ ticker: replayTicker, receivedAt: null });
    await redis.hset(tickerKey(ns, 'binance', 'SOL/USDT'), { receivedAt: 'yesterday' });
    expect((await tickers.readReceived('binance', 'SOL/USDT'))?.receivedAt).toBeNull();
    expect(await tickers.readReceived('binance', 'NONE/USDT')).toBeNull();
  });
});
