import { createRedis } from '@trading/service-runtime';
import { TcpProxy, testRedisUrl, waitFor } from '@trading/testing';
import Redis from 'ioredis';
import { RedisNamespace } from '../../test/market-data.harness';
import { FeedLease } from './feed-lease';

/** FeedLease against the real Redis: SET NX PX, compare-and-extend, compare-and-delete, and keep()'s renewal loop. */
describe('FeedLease (real Redis)', () => {
  const space = new RedisNamespace('md-lease', createRedis(testRedisUrl(), 'feed-lease-spec'));
  const { redis } = space;
  let n = 0;
  const freshKey = () => space.key(`lease:market-data:feed:test-${++n}`);
  const lease = (key: string, owner: string, ttlMs = 3000, client: Redis = redis) =>
    new FeedLease(client, { key, owner, ttlMs });

  afterAll(() => space.close());

  it('is taken by the first instance only, with the ttl, and shows the holder to the others', async () => {
    const key = freshKey();
    const a = lease(key, 'md-a');
    const b = lease(key, 'md-b');
    expect(await a.acquire()).toBe(true);
    expect(await b.acquire()).toBe(false);
    expect(await redis.get(key)).toBe(a.token);
    expect(a.token).toMatch(/^md-a\/[0-9a-f-]{36}$/);
    const pttl = await redis.pttl(key);
    expect(pttl).toBeGreaterThan(2500);
    expect(pttl).toBeLessThanOrEqual(3000);
    expect({ a: a.holder, b: b.holder }).toEqual({ a: 'md-a', b: 'md-a' });
    expect(a.renewEveryMs).toBe(1000);
    // Taking it again while holding it keeps it (a renewal that timed out but went through left our token).
    expect(await a.acquire()).toBe(true);
  });

  it('renews only its own lease, back to the full ttl', async () => {
    const key = freshKey();
    const a = lease(key, 'md-a', 1000);
    const b = lease(key, 'md-b', 1000);
    expect(await a.acquire()).toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    expect(await redis.pttl(key)).toBeLessThanOrEqual(500);
    expect(await a.renew()).toBe(true);
    expect(await redis.pttl(key)).toBeGreaterThan(900);
    // b's renewal neither extends nor takes it.
    await redis.pexpire(key, 300);
    expect(await b.renew()).toBe(false);
    expect(await redis.pttl(key)).toBeLessThanOrEqual(300);
    expect(await redis.get(key)).toBe(a.token);
  });

  it('loses it to another holder after it expired: renew says so and keep() stops within ttl/3', async () => {
    const key = freshKey();
    const a = lease(key, 'md-a', 1500);
    const b = lease(key, 'md-b', 1500);
    expect(await a.acquire()).toBe(true);
    // a stops renewing (a paused process); its key expires and b takes it.
    await redis.pexpire(key, 1);
    await new Promise((r) => setTimeout(r, 20));
    expect(await b.acquire()).toBe(true);
    expect(await a.renew()).toBe(false);
    expect(a.holder).toBe('md-b');
    expect(await redis.get(key)).toBe(b.token);

    const stop = new AbortController();
    const started = Date.now();
    await expect(a.keep(stop.signal)).resolves.toBe('lost');
    const tookMs = Date.now() - started;
    // At its first renewal (ttl/3 = 500 ms; a loaded machine's late timer only adds to it), well within the ttl.
    expect(tookMs).toBeGreaterThanOrEqual(450);
    expect(tookMs).toBeLessThan(1500);
    expect(await redis.get(key)).toBe(b.token);
  });

  it('keeps renewing until stopped, and a standby never gets it meanwhile', async () => {
    const key = freshKey();
    const a = lease(key, 'md-a', 600);
    const b = lease(key, 'md-b', 600);
    expect(await a.acquire()).toBe(true);
    const stop = new AbortController();
    const kept = a.keep(stop.signal);
    // Three ttls: without renewals the key would have expired three times over.
    for (let i = 0; i < 9; i++) {
      await new Promise((r) => setTimeout(r, 200));
      expect(await b.acquire()).toBe(false);
    }
    stop.abort();
    await expect(kept).resolves.toBe('stopped');
    expect(await redis.get(key)).toBe(a.token);
  });

  it('releases only its own lease', async () => {
    const key = freshKey();
    const a = lease(key, 'md-a');
    const b = lease(key, 'md-b');
    expect(await a.acquire()).toBe(true);
    expect(await b.release()).toBe(false);
    expect(await redis.get(key)).toBe(a.token);
    expect(await a.release()).toBe(true);
    expect(await redis.exists(key)).toBe(0);
    expect(a.holder).toBeNull();
    // Released: the standby takes it at once, and a's late release cannot delete b's lease.
    expect(await b.acquire()).toBe(true);
    expect(await a.release()).toBe(false);
    expect(await redis.get(key)).toBe(b.token);
  });

  it('gives the lease up when Redis stops answering, before the key can expire', async () => {
    const key = freshKey();
    const { proxy, url } = await TcpProxy.forUrl(testRedisUrl());
    const cut = createRedis(url, 'feed-lease-spec-cut');
    cut.on('error', () => undefined);
    try {
      const a = lease(key, 'md-a', 1500, cut);
      expect(await a.acquire()).toBe(true);
      const acquiredAt = Date.now();
      const errors: unknown[] = [];
      const kept = a.keep(new AbortController().signal, (error) => errors.push(error));
      await proxy.cut();
      await expect(kept).resolves.toBe('lost');
      const lostAfterMs = Date.now() - acquiredAt;
      // Stopped at about 2/3 of the ttl without a confirmed renewal, while the key still stood: no overlap with a standby.
      // (the key still holds a's token once a gave up: it gave up before the key expired).
      expect(lostAfterMs).toBeGreaterThanOrEqual(900);
      expect(await redis.get(key)).toBe(a.token);
      expect(errors.length).toBeGreaterThanOrEqual(1);
      // Redis back: nobody else took it, so the same lease takes it again (its own token, or the expired key anew).
      await proxy.restore();
      await waitFor(() => a.acquire(), {
        what: 'the lease taken again through the restored connection',
        timeoutMs: 10_000,
        intervalMs: 100,
      });
      expect(await redis.get(key)).toBe(a.token);
    } finally {
      cut.disconnect();
      await proxy.cut();
    }
  });
});
