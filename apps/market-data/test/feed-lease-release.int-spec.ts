import { FeedLeaseFixture, SEC } from './feed-lease.fixture';

const TTL = 6000;

/**
 * A holder stopped with SIGTERM finishes its batch, releases its lease (compare-and-delete) and exits; the standby
 * takes the feed at its next try (every ttl/3), not a ttl later, and the candles go on without a hole or a repeat.
 * The ttl is long (6 s) so that a takeover by expiry (at least 4 s after the stop) could not pass for a release.
 */
describe('market-data feed lease: released on shutdown', () => {
  const fx = new FeedLeaseFixture('md-lease-term');

  beforeAll(() => fx.setUp(), 60_000);
  afterAll(() => fx.tearDown());

  it('hands the feed to the standby at once when the holder shuts down', async () => {
    const a = await fx.spawn('md-a', TTL);
    await fx.waitForLease(a, 'leased');
    const b = await fx.spawn('md-b', TTL);
    expect(await fx.waitForLease(b, 'standby')).toMatchObject({ holder: 'md-a', running: false });
    await fx.waitForStored(Math.floor((Date.now() - fx.start) / SEC), a);

    const stoppedAt = Date.now();
    a.process.child.kill('SIGTERM');
    expect((await a.process.exited).code).toBe(0);
    const exitedAfterMs = Date.now() - stoppedAt;
    // Gone with the process: nobody holds it, or already the standby.
    expect(String(await fx.redis.get(fx.leaseKey))).toMatch(/^(null|md-b\/.*)$/);
    expect(a.process.output()).toContain('"msg":"feed lease released"');

    const taken = await fx.waitForLease(b, 'leased', 10_000, 25);
    // Released, not expired (the key was gone or md-b's right after md-a exited, checked above); how soon md-b took it
    // (its next try, within ttl/3) is printed below: it moves with the machine's load.
    const wonAfterMs = Date.parse(taken.since) - stoppedAt;
    expect(taken).toMatchObject({ holder: 'md-b', running: true });

    await fx.waitForStored(Math.floor((Date.now() - fx.start) / SEC) + 1, b);
    const { candles, events } = await fx.expectEachCandlePublishedOnce();
    process.stdout.write(
      `feed lease release: md-a exited ${exitedAfterMs} ms after SIGTERM; md-b won the lease ${wonAfterMs} ms after it (ttl ${TTL}); ${candles} candles, ${events} events\n`,
    );

    b.process.child.kill('SIGTERM');
    expect((await b.process.exited).code).toBe(0);
    expect(await fx.redis.exists(fx.leaseKey)).toBe(0);
  }, 60_000);
});
