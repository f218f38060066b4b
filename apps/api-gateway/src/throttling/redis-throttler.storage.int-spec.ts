import { testRedisUrl, uniqueRedisNamespace } from '@trading/testing';
import Redis from 'ioredis';
import { RedisThrottlerStorage } from './redis-throttler.storage';

describe('RedisThrottlerStorage', () => {
  const namespace = uniqueRedisNamespace('throttle');
  let a: Redis;
  let b: Redis;

  beforeAll(() => {
    a = new Redis(testRedisUrl());
    b = new Redis(testRedisUrl());
  });

  afterAll(async () => {
    const keys = await a.keys(`${namespace}*`);
    if (keys.length) await a.del(...keys);
    a.disconnect();
    b.disconnect();
  });

  it('counts hits of two instances (two connections) in one window and blocks past the limit', async () => {
    const one = new RedisThrottlerStorage(a, namespace);
    const two = new RedisThrottlerStorage(b, namespace);
    const hits = [];
    for (let i = 0; i < 3; i++) hits.push(await (i % 2 ? two : one).increment('user-1', 60_000, 3, 30_000, 'default'));
    expect(hits.map((h) => [h.totalHits, h.isBlocked])).toEqual([
      [1, false],
      [2, false],
      [3, false],
    ]);
    expect(hits[0].timeToExpire).toBe(60);
    const over = await two.increment('user-1', 60_000, 3, 30_000, 'default');
    expect(over).toMatchObject({ totalHits: 4, isBlocked: true, timeToBlockExpire: 30 });
    // Blocked: further hits are not counted, and the block is reported by the other instance too.
    expect(await one.increment('user-1', 60_000, 3, 30_000, 'default')).toMatchObject({ totalHits: 4, isBlocked: true });
  });

  it('keeps keys apart per tracker key and per throttler, each with an expiry', async () => {
    const storage = new RedisThrottlerStorage(a, namespace);
    await storage.increment('user-2', 1000, 5, 1000, 'default');
    expect((await storage.increment('user-2', 1000, 5, 1000, 'auth-ip')).totalHits).toBe(1);
    expect((await storage.increment('user-3', 1000, 5, 1000, 'default')).totalHits).toBe(1);
    const ttl = await a.pttl(`${namespace}throttle:default:user-2`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(1000);
  });

  it('answers 503 when Redis is unreachable', async () => {
    const down = new Redis({ port: 1, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
    await expect(new RedisThrottlerStorage(down, namespace).increment('k', 1000, 1, 1000, 'default')).rejects.toMatchObject({ status: 503 });
    down.disconnect();
  });
});
