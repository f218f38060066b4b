import type { INestMicroservice } from '@nestjs/common';
import { Streams } from '@trading/contracts';
import Redis from 'ioredis';
import { audit, deferred, deleteNamespace, eventually, REDIS_URL, startConsumer, testNamespace } from '../__fixtures__/stream-test-kit';
import { StreamsMetrics } from '../metrics/streams-metrics.service';
import { StreamPublisher } from '../publisher/stream-publisher';
import { streamKey } from '../redis/stream-keys';
import { parseInfoRows } from '../redis/stream-replies';
import { deleteDeadConsumers } from './dead-consumers';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('dead consumer deletion (real Redis)', () => {
  const redis = new Redis(REDIS_URL);
  const apps: INestMicroservice[] = [];
  let namespace: string;
  let key: string;

  beforeEach(() => {
    namespace = testNamespace('dead-consumers');
    key = streamKey(namespace, Streams.Audit);
  });

  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
    await deleteNamespace(redis, namespace);
  });

  afterAll(() => redis.disconnect());

  /** Consumer name -> its pending entries, from XINFO CONSUMERS. */
  async function consumers(group: string): Promise<Record<string, number>> {
    const rows = parseInfoRows(await redis.call('XINFO', 'CONSUMERS', key, group));
    return Object.fromEntries(rows.map((r) => [String(r['name']), Number(r['pending'])]));
  }

  async function idleOf(group: string, consumer: string): Promise<number> {
    const rows = parseInfoRows(await redis.call('XINFO', 'CONSUMERS', key, group));
    return Number(rows.find((r) => r['name'] === consumer)?.['idle']);
  }

  describe('deleteDeadConsumers', () => {
    const group = 'reaper';

    beforeEach(async () => {
      await redis.xgroup('CREATE', key, group, '0', 'MKSTREAM');
      for (let i = 0; i < 3; i++) await redis.xadd(key, '*', 'event', `e${i}`);
      // Two consumers that went silent: one holds two entries, one holds nothing; and this consumer, idle too.
      await redis.xreadgroup('GROUP', group, 'stale-holding', 'COUNT', 2, 'STREAMS', key, '>');
      await redis.call('XGROUP', 'CREATECONSUMER', key, group, 'stale-empty');
      await redis.call('XGROUP', 'CREATECONSUMER', key, group, 'self');
      await sleep(300);
      await redis.call('XGROUP', 'CREATECONSUMER', key, group, 'recent');
    });

    it('deletes only an idle consumer holding nothing: keeps one with pending entries, a recent one and itself', async () => {
      const before = (await redis.xpending(key, group, '-', '+', 10)) as [string, string, number, number][];
      expect(await deleteDeadConsumers(redis, key, group, 'self', 250)).toEqual(['stale-empty']);
      expect(await consumers(group)).toEqual({ 'stale-holding': 2, self: 0, recent: 0 });
      // The held entries are untouched: same owner, same delivery count, still idle.
      const after = (await redis.xpending(key, group, '-', '+', 10)) as [string, string, number, number][];
      expect(after.map(([id, owner, , count]) => [id, owner, count])).toEqual(before.map(([id, owner, , count]) => [id, owner, count]));
      expect(after.every(([, , idle]) => idle >= 300)).toBe(true);
    });

    it('marks its own consumer as seen: on a quiet stream, waiting reads alone leave a live consumer looking dead', async () => {
      await redis.xgroup('CREATE', key, 'quiet', '$');
      for (const consumer of ['a', 'b']) await redis.call('XGROUP', 'CREATECONSUMER', key, 'quiet', consumer);
      // Redis 7.0 does not refresh `idle` for a blocking read that times out with nothing to serve.
      for (let i = 0; i < 3; i++) {
        for (const consumer of ['a', 'b']) await redis.xreadgroup('GROUP', 'quiet', consumer, 'BLOCK', 60, 'STREAMS', key, '>');
      }
      expect(await idleOf('quiet', 'a')).toBeGreaterThanOrEqual(300);
      // 'a' runs the housekeeping: it is seen again; 'b', which only waited, is taken for dead.
      expect(await deleteDeadConsumers(redis, key, 'quiet', 'a', 250)).toEqual(['b']);
      expect(await idleOf('quiet', 'a')).toBeLessThan(250);
      expect(await deleteDeadConsumers(redis, key, 'quiet', 'b', 250)).toEqual([]);
      expect(await consumers('quiet')).toEqual({ a: 0, b: 0 });
    });

    it('deletes a consumer once its entries were taken over, and never one below the idle threshold', async () => {
      const held = (await redis.xpending(key, group, '-', '+', 10, 'stale-holding')) as [string][];
      await redis.xclaim(key, group, 'self', 0, ...held.map(([id]) => id));
      expect(await deleteDeadConsumers(redis, key, group, 'self', 60_000)).toEqual([]);
      expect((await deleteDeadConsumers(redis, key, group, 'self', 250)).sort()).toEqual(['stale-empty', 'stale-holding']);
      expect(await consumers(group)).toEqual({ self: 2, recent: 0 });
    });
  });

  it('the server deletes dead consumers of its group: at once when empty, after taking over their entries otherwise, never a live one', async () => {
    const group = 'reaper-server';
    const publisher = StreamPublisher.connect({ redisUrl: REDIS_URL, namespace });
    const events = Array.from({ length: 4 }, (_, i) => audit(i));
    try {
      await publisher.publishBatch(Streams.Audit, events);
    } finally {
      await publisher.close();
    }
    await redis.xgroup('CREATE', key, group, '0', 'MKSTREAM');
    // A consumer that read three entries and died, then one that died holding nothing (so it is the younger of the two).
    await redis.xreadgroup('GROUP', group, 'dead-holding', 'COUNT', 3, 'STREAMS', key, '>');
    await redis.call('XGROUP', 'CREATECONSUMER', key, group, 'dead-empty');

    const options = { redisUrl: REDIS_URL, namespace, service: group, blockMs: 100, claimIdleMs: 200, claimIntervalMs: 100, deadConsumerIdleMs: 1000 };
    const handled: Array<{ id: string; delivery: number }> = [];
    const release = deferred();
    const metrics = new StreamsMetrics();
    // Concurrency 1 and its first handler held: the server is full, so it claims nothing yet.
    const alive = await startConsumer(
      Streams.Audit,
      async (event, ctx) => {
        handled.push({ id: event.id, delivery: ctx.getDeliveries() });
        if (handled.length === 1) await release.promise;
      },
      { ...options, consumer: 'alive', concurrency: 1 },
      {},
      metrics,
    );
    apps.push(alive.app);
    await eventually(() => handled.length === 1, () => 'the fourth entry was not read');
    expect(handled[0].id).toBe(events[3].id);

    // The script that deleted dead-empty saw dead-holding too, idle even longer, and kept it for its entries.
    await eventually(async () => !('dead-empty' in (await consumers(group))), () => 'dead-empty still there', 10_000);
    expect(await consumers(group)).toEqual({ 'dead-holding': 3, alive: 1 });

    release.resolve();
    await eventually(
      async () => handled.length === 4 && JSON.stringify(await consumers(group)) === JSON.stringify({ alive: 0 }),
      () => `${handled.length} handled`,
      10_000,
    );
    expect(handled.slice(1).map((h) => h.id).sort()).toEqual(events.slice(0, 3).map((e) => e.id).sort());
    expect(handled.slice(1).every((h) => h.delivery === 2)).toBe(true);
    expect((await metrics.snapshot()).deadConsumersDeleted).toEqual({ [Streams.Audit]: 2 });

    // A second live consumer: both keep reading, so neither is ever deleted, however long it runs.
    const otherMetrics = new StreamsMetrics();
    const other = await startConsumer(Streams.Audit, () => undefined, { ...options, consumer: 'alive-b' }, {}, otherMetrics);
    apps.push(other.app);
    await sleep(2500);
    expect(await consumers(group)).toEqual({ alive: 0, 'alive-b': 0 });
    expect((await metrics.snapshot()).deadConsumersDeleted).toEqual({ [Streams.Audit]: 2 });
    expect((await otherMetrics.snapshot()).deadConsumersDeleted).toEqual({});
  });
});
