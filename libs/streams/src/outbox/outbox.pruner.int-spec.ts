import { DataSource } from 'typeorm';
import { createTestDatabase, TestDatabase } from '../idempotency/test-database.fixture';
import { outboxMigrationSql } from './outbox.migration';
import { OutboxPruner } from './outbox.pruner';

const schema = 'trading_engine';
const HOUR_MS = 3600 * 1000;
const WEEK_MS = 7 * 24 * HOUR_MS;

describe('OutboxPruner (real PostgreSQL)', () => {
  let db: TestDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase('test_outbox_prune');
    ds = await db.connect();
    await ds.query(`CREATE SCHEMA ${schema}`);
    for (const sql of outboxMigrationSql(schema).up) await ds.query(sql);
  });

  afterAll(async () => {
    await db?.drop();
  });

  beforeEach(async () => {
    await ds.query(`TRUNCATE ${schema}.outbox RESTART IDENTITY`);
  });

  /** `count` rows with the next ids, created 9 days ago, published `publishedHoursAgo` ago (null = not yet). */
  const seed = (count: number, publishedHoursAgo: number | null) =>
    ds.query(
      `INSERT INTO ${schema}.outbox (event_id, stream, event, created_at, published_at)
       SELECT gen_random_uuid(), 'events:trades', '{}'::jsonb, now() - interval '9 days',
              CASE WHEN $2::int IS NULL THEN NULL ELSE now() - make_interval(hours => $2::int) END
         FROM generate_series(1, $1)`,
      [count, publishedHoursAgo],
    );
  const remainingIds = async (): Promise<number[]> =>
    (await ds.query(`SELECT id FROM ${schema}.outbox ORDER BY id`)).map((r: { id: string }) => Number(r.id));
  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

  it('deletes the published rows older than the retention in windows of ids, never an unpublished or a newer row', async () => {
    await seed(25, 8 * 24); // ids 1-25: published 8 days ago
    await seed(5, 1); // ids 26-30: published an hour ago
    await seed(4, null); // ids 31-34: waiting to be published (created 9 days ago)
    // Out of id order, as an operator re-publishing by hand would leave it: 5 unpublished, 12 published again just now.
    await ds.query(`UPDATE ${schema}.outbox SET published_at = NULL WHERE id = 5`);
    await ds.query(`UPDATE ${schema}.outbox SET published_at = now() WHERE id = 12`);
    const pruner = new OutboxPruner({ schema, retainMs: WEEK_MS, batchSize: 10 });

    // Windows of 10 ids: 1-10 deletes 9 (not 5), 11-20 deletes 9 (not 12), 21-30 deletes 5 (21-25),
    // 31-34 is short and deletes nothing: the round ends after 4 statements.
    expect(await pruner.prune(ds)).toEqual({ removed: 23, batches: 4, finished: true });
    expect(await remainingIds()).toEqual([5, 12, ...range(26, 34)]);

    // Nothing left to delete: one window, which deletes nothing.
    expect(await pruner.prune(ds)).toEqual({ removed: 0, batches: 1, finished: true });
    expect(await remainingIds()).toEqual([5, 12, ...range(26, 34)]);
  });

  it('stops at the first window with nothing expired, also in a full table', async () => {
    await seed(30, 8 * 24); // ids 1-30
    await seed(50, 2); // ids 31-80
    const pruner = new OutboxPruner({ schema, retainMs: WEEK_MS, batchSize: 10 });

    // 1-10, 11-20, 21-30 all go; 31-40 deletes nothing and ends the round, 41-80 are never read.
    expect(await pruner.prune(ds)).toEqual({ removed: 30, batches: 4, finished: true });
    expect(await remainingIds()).toEqual(range(31, 80));
  });

  it('keeps rows younger than a shorter retention', async () => {
    await seed(6, 3);
    await seed(2, 1);
    const pruner = new OutboxPruner({ schema, retainMs: 2 * HOUR_MS });
    expect(await pruner.prune(ds)).toEqual({ removed: 6, batches: 1, finished: true });
    expect(await remainingIds()).toEqual([7, 8]);
  });

  it('hands the connection back after a batch when asked, and the next round carries on', async () => {
    await seed(35, 8 * 24);
    const pruner = new OutboxPruner({ schema, retainMs: WEEK_MS, batchSize: 10 });

    expect(await pruner.prune(ds, () => true)).toEqual({ removed: 10, batches: 1, finished: false });
    expect(await remainingIds()).toEqual(range(11, 35));
    expect(await pruner.prune(ds)).toEqual({ removed: 25, batches: 3, finished: true });
    expect(await remainingIds()).toEqual([]);
  });

  it('refuses a retention or batch size that is not a positive integer, and a schema that is not an identifier', () => {
    expect(() => new OutboxPruner({ schema, retainMs: 0 })).toThrow('OutboxPruner retainMs must be a positive integer');
    expect(() => new OutboxPruner({ schema, batchSize: 2.5 })).toThrow('OutboxPruner batchSize must be a positive integer');
    expect(() => new OutboxPruner({ schema: 'x; DROP TABLE y' })).toThrow('Invalid schema name');
  });
});
