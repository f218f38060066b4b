import { Logger } from '@nestjs/common';
import { createEvent, EventEnvelope, Streams, TradeExecuted } from '@trading/contracts';
import Redis from 'ioredis';
import { DataSource, EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { processedEventsMigrationSql } from '../idempotency/processed-events.migration';
import { runIdempotent } from '../idempotency/run-idempotent';
import { createTestDatabase, TestDatabase } from '../idempotency/test-database.fixture';
import { outboxMigrationSql } from './outbox.migration';
import { OutboxRelay, OutboxRelayOptions } from './outbox.relay';
import { OutboxWriter } from './outbox.writer';
import { PrivateRedis, waitUntil } from './private-redis.fixture';

const schema = 'trading_engine';

/** Which test writer wrote an event, and its sequence number in that writer's commits. */
const written = new Map<string, { writer: number; seq: number }>();

function anEvent(writer: number, seq: number): TradeExecuted.Event {
  const event = createEvent(
    TradeExecuted.TYPE,
    {
      tradeId: uuidv7(),
      orderId: uuidv7(),
      botId: uuidv7(),
      userId: uuidv7(),
      exchange: 'binance',
      symbol: 'BTC/USDT',
      side: 'buy',
      mode: 'paper',
      price: '64000.5',
      quantity: '0.01',
      fee: '0.64',
      feeCurrency: 'USDT',
      realizedPnl: '0',
      executedAt: new Date().toISOString(),
    },
    { source: 'trading-engine' },
  );
  written.set(event.id, { writer, seq });
  return event;
}

const seqOf = (e: EventEnvelope) => written.get(e.id)!.seq;
const writerOf = (e: EventEnvelope) => written.get(e.id)!.writer;

describe('transactional outbox + relay (real PostgreSQL and a private redis-server)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let redisServer: PrivateRedis;
  let redis: Redis;
  const writer = new OutboxWriter({ schema });
  const relays: OutboxRelay[] = [];
  let namespaceSeq = 0;
  let namespace = '';

  beforeAll(async () => {
    Logger.overrideLogger(['error']);
    db = await createTestDatabase('test_outbox');
    ds = await db.connect(8);
    await ds.query(`CREATE SCHEMA ${schema}`);
    for (const sql of [...outboxMigrationSql(schema).up, ...processedEventsMigrationSql(schema).up]) await ds.query(sql);
    await ds.query(`CREATE TABLE ${schema}.orders (id SERIAL PRIMARY KEY, event_id UUID NOT NULL)`);
    await ds.query(`CREATE TABLE ${schema}.effects (id SERIAL PRIMARY KEY, event_id UUID NOT NULL)`);
    redisServer = await PrivateRedis.allocate();
  });

  beforeEach(async () => {
    namespace = `test:outbox:${++namespaceSeq}:`;
    // Each test starts from an empty outbox; entries of earlier tests are already published.
    await ds.query(`DELETE FROM ${schema}.outbox`);
  });

  afterEach(async () => {
    await Promise.all(relays.splice(0).map((r) => r.stop()));
  });

  afterAll(async () => {
    redis?.disconnect();
    await redisServer?.stop();
    await db?.drop();
  });

  function startRelay(dataSource = ds, extra: Partial<OutboxRelayOptions> = {}): OutboxRelay {
    const relay = new OutboxRelay({ dataSource, schema, redisUrl: redisServer.url, namespace, pollIntervalMs: 50, batchSize: 100, ...extra });
    relays.push(relay);
    relay.start();
    return relay;
  }

  /** A business write and its event in one transaction, as a service does it. */
  async function placeOrder(manager: EntityManager, event: TradeExecuted.Event): Promise<void> {
    await manager.query(`INSERT INTO ${schema}.orders (event_id) VALUES ($1)`, [event.id]);
    await writer.add(manager, Streams.Trades, event);
  }

  async function unpublished(): Promise<number> {
    return Number((await ds.query(`SELECT count(*) AS n FROM ${schema}.outbox WHERE published_at IS NULL`))[0].n);
  }

  async function outboxIdsInIdOrder(): Promise<string[]> {
    return (await ds.query(`SELECT event_id FROM ${schema}.outbox ORDER BY id`)).map((r: { event_id: string }) => r.event_id);
  }

  async function streamEvents(): Promise<EventEnvelope[]> {
    const entries = await redis.xrange(`${namespace}${Streams.Trades}`, '-', '+');
    return entries.map(([, fields]) => {
      expect(fields).toHaveLength(2);
      expect(fields[0]).toBe('event');
      return JSON.parse(fields[1]) as EventEnvelope;
    });
  }

  it('keeps committing while Redis is down, then publishes all 1 000 events exactly once, in commit order', async () => {
    const relay = startRelay();
    const writers = 4;
    const transactionsPerWriter = 50;
    const eventsPerTransaction = 5;
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        for (let t = 0; t < transactionsPerWriter; t++) {
          await ds.transaction(async (m) => {
            const events = Array.from({ length: eventsPerTransaction }, (_, i) => anEvent(w, t * eventsPerTransaction + i));
            await m.query(`INSERT INTO ${schema}.orders (event_id) VALUES ($1)`, [events[0].id]);
            await writer.add(m, Streams.Trades, events);
          });
        }
      }),
    );
    expect(await unpublished()).toBe(1000);
    expect(await relay.pendingCount()).toBe(1000);
    expect(relay.publishedCount).toBe(0);

    await redisServer.start();
    redis = redisServer.client();
    await waitUntil('the outbox is drained', async () => (await unpublished()) === 0);

    const published = await streamEvents();
    expect(published).toHaveLength(1000);
    expect(new Set(published.map((e) => e.id)).size).toBe(1000);
    expect(published.map((e) => e.id)).toEqual(await outboxIdsInIdOrder());
    for (let w = 0; w < writers; w++) {
      const seqs = published.filter((e) => writerOf(e) === w).map(seqOf);
      expect(seqs).toEqual(Array.from({ length: transactionsPerWriter * eventsPerTransaction }, (_, i) => i));
    }
  });

  it('serializes writers on commit: a second writer waits until the first commits, so ids follow commit order', async () => {
    const first = anEvent(0, 0);
    const second = anEvent(1, 0);
    let commitFirst!: () => void;
    const firstMayCommit = new Promise<void>((r) => (commitFirst = r));
    let firstAdded!: () => void;
    const firstHasAdded = new Promise<void>((r) => (firstAdded = r));

    const tx1 = ds.transaction(async (m) => {
      await placeOrder(m, first);
      firstAdded();
      await firstMayCommit;
    });
    await firstHasAdded;
    const lastId = async () => (await ds.query(`SELECT last_value FROM ${schema}.outbox_id_seq`))[0].last_value as string;
    const idOfFirst = await lastId();
    const tx2 = ds.transaction((m) => placeOrder(m, second));
    await waitUntil('the second writer waits on the outbox lock', async () => {
      const rows = await ds.query(
        `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'advisory'`,
      );
      return Number(rows[0].n) === 1;
    });
    // The waiting writer has drawn no id yet: ids are drawn under the lock.
    expect(await lastId()).toBe(idOfFirst);
    commitFirst();
    await Promise.all([tx1, tx2]);

    expect(await outboxIdsInIdOrder()).toEqual([first.id, second.id]);
    await redisServer.start();
    redis ??= redisServer.client();
    startRelay();
    await waitUntil('the outbox is drained', async () => (await unpublished()) === 0);
    expect((await streamEvents()).map((e) => e.id)).toEqual([first.id, second.id]);
  });

  it('publishes nothing from a rolled-back transaction', async () => {
    await redisServer.start();
    redis ??= redisServer.client();
    startRelay();
    const rolledBack = anEvent(0, 0);
    const committed = anEvent(0, 1);
    await expect(
      ds.transaction(async (m) => {
        await placeOrder(m, rolledBack);
        throw new Error('order rejected');
      }),
    ).rejects.toThrow('order rejected');
    await ds.transaction((m) => placeOrder(m, committed));

    await waitUntil('the committed event is published', async () => (await unpublished()) === 0);
    expect((await streamEvents()).map((e) => e.id)).toEqual([committed.id]);
  });

  it('stores each envelope exactly as given, whatever characters its strings hold', async () => {
    const plain = anEvent(0, 0);
    const awkward = anEvent(0, 1);
    (awkward.payload as { symbol: string }).symbol = 'A"B\\C,{D} \'E\' NULL é€ \n\t\u0001';
    await ds.transaction((m) => writer.add(m, Streams.Trades, [plain, awkward]));
    const rows: { event_id: string; stream: string; event: unknown }[] = await ds.query(`SELECT event_id, stream, event FROM ${schema}.outbox ORDER BY id`);
    expect(rows).toEqual([
      { event_id: plain.id, stream: Streams.Trades, event: JSON.parse(JSON.stringify(plain)) },
      { event_id: awkward.id, stream: Streams.Trades, event: JSON.parse(JSON.stringify(awkward)) },
    ]);
  });

  it('refuses to write outside a transaction', async () => {
    await expect(writer.add(ds.manager, Streams.Trades, anEvent(0, 0))).rejects.toThrow('inside the transaction');
  });

  it('runs two relays on one outbox with one leader: each entry once and in order, also across a hand-over', async () => {
    await redisServer.start();
    redis ??= redisServer.client();
    const otherInstance = await db.connect(3);
    const a = startRelay();
    const b = startRelay(otherInstance);
    const write = async (from: number, count: number) => {
      for (let t = from; t < from + count; t += 10) {
        await ds.transaction((m) =>
          writer.add(m, Streams.Trades, Array.from({ length: 10 }, (_, i) => anEvent(0, t + i))),
        );
      }
    };
    await write(0, 300);
    await waitUntil('the first 300 are published', async () => (await unpublished()) === 0);
    expect([a.isLeader, b.isLeader].filter(Boolean)).toHaveLength(1);

    const leader = a.isLeader ? a : b;
    const follower = leader === a ? b : a;
    await leader.stop();
    await write(300, 200);
    await waitUntil('the follower took over and drained the outbox', async () => (await unpublished()) === 0);
    expect(follower.isLeader).toBe(true);

    const published = await streamEvents();
    expect(published.map(seqOf)).toEqual(Array.from({ length: 500 }, (_, i) => i));
    expect(a.publishedCount + b.publishedCount).toBe(500);
  });

  it('resumes when PostgreSQL drops the relay connection', async () => {
    await redisServer.start();
    redis ??= redisServer.client();
    const relay = startRelay();
    const first = Array.from({ length: 10 }, (_, i) => anEvent(0, i));
    await ds.transaction((m) => writer.add(m, Streams.Trades, first));
    await waitUntil('the first batch is published', async () => (await unpublished()) === 0);

    const [{ pid }] = await ds.query(`SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid <> pg_backend_pid()`);
    await ds.query('SELECT pg_terminate_backend($1)', [pid]);
    const second = Array.from({ length: 10 }, (_, i) => anEvent(0, 10 + i));
    await ds.transaction((m) => writer.add(m, Streams.Trades, second));

    await waitUntil('the second batch is published', async () => (await unpublished()) === 0);
    expect(relay.isLeader).toBe(true);
    expect((await streamEvents()).map((e) => e.id)).toEqual([...first, ...second].map((e) => e.id));
  });

  it('deletes published rows past their retention, never unpublished ones', async () => {
    await redisServer.start();
    redis ??= redisServer.client();
    await ds.transaction((m) => writer.add(m, Streams.Trades, [anEvent(0, 0), anEvent(0, 1)]));
    await ds.query(`UPDATE ${schema}.outbox SET published_at = now() - interval '2 hours' WHERE id = (SELECT min(id) FROM ${schema}.outbox)`);
    await ds.query(`UPDATE ${schema}.outbox SET created_at = now() - interval '3 hours'`);
    const pending = anEvent(0, 2);
    await ds.transaction((m) => writer.add(m, Streams.Trades, pending));

    startRelay(ds, { retainPublishedMs: 3600_000, cleanupIntervalMs: 0 });
    await waitUntil('the old published row is deleted', async () =>
      Number((await ds.query(`SELECT count(*) AS n FROM ${schema}.outbox`))[0].n) === 2,
    );
    expect(await unpublished()).toBe(0);
    expect((await streamEvents()).map(seqOf)).toEqual([1, 2]);
  });

  it('deletes a backlog of expired rows batch by batch while it keeps publishing new entries', async () => {
    await redisServer.start();
    redis ??= redisServer.client();
    // 1 000 rows published two days ago, as a week of traffic looks to a relay with a one-day retention.
    await ds.query(
      `INSERT INTO ${schema}.outbox (event_id, stream, event, created_at, published_at)
       SELECT gen_random_uuid(), 'events:trades', '{}'::jsonb, now() - interval '2 days', now() - interval '2 days' FROM generate_series(1, 1000)`,
    );
    startRelay(ds, { retainPublishedMs: 24 * 3600_000, cleanupIntervalMs: 0, cleanupBatchSize: 50 });
    const fresh = Array.from({ length: 40 }, (_, i) => anEvent(0, i));
    for (const event of fresh) await ds.transaction((m) => writer.add(m, Streams.Trades, event));

    await waitUntil('the expired rows are deleted', async () =>
      Number((await ds.query(`SELECT count(*) AS n FROM ${schema}.outbox WHERE published_at < now() - interval '1 day'`))[0].n) === 0,
    );
    await waitUntil('the new entries are published', async () => (await unpublished()) === 0);
    expect((await streamEvents()).map(seqOf)).toEqual(fresh.map((_, i) => i));
    expect(await outboxIdsInIdOrder()).toEqual(fresh.map((e) => e.id));
  });

  it('gives exactly-once effects through outbox -> stream -> runIdempotent, even when the relay republishes', async () => {
    await redisServer.start();
    redis ??= redisServer.client();
    startRelay();
    const n = 200;
    const events = Array.from({ length: n }, (_, i) => anEvent(0, i));
    for (let i = 0; i < n; i += 20) {
      await ds.transaction((m) => writer.add(m, Streams.Trades, events.slice(i, i + 20)));
    }
    await waitUntil('all published', async () => (await unpublished()) === 0);
    // What a crash between XADD and the UPDATE leaves behind: published entries still marked unpublished.
    const republished = 50;
    await ds.query(
      `UPDATE ${schema}.outbox SET published_at = NULL WHERE id IN (SELECT id FROM ${schema}.outbox ORDER BY id DESC LIMIT $1)`,
      [republished],
    );
    await waitUntil('the relay republished them', async () => (await redis.xlen(`${namespace}${Streams.Trades}`)) === n + republished);

    let duplicates = 0;
    for (const event of await streamEvents()) {
      const outcome = await runIdempotent(ds, { schema, consumerGroup: 'risk', eventId: event.id }, (m) =>
        m.query(`INSERT INTO ${schema}.effects (event_id) VALUES ($1)`, [event.id]),
      );
      if (outcome.duplicate) duplicates++;
    }
    expect(duplicates).toBe(republished);
    const effects = await ds.query(`SELECT event_id, count(*)::int AS n FROM ${schema}.effects GROUP BY event_id`);
    expect(effects).toHaveLength(n);
    expect(effects.every((r: { n: number }) => r.n === 1)).toBe(true);
  });
});
