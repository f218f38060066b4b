import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { processedEventsMigrationSql } from './processed-events.migration';
import { runIdempotent } from './run-idempotent';
import { createTestDatabase, TestDatabase } from './test-database.fixture';

const schema = 'risk';
const group = 'risk-trades';

describe('runIdempotent (real PostgreSQL)', () => {
  let db: TestDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase('test_idem');
    ds = await db.connect();
    await ds.query(`CREATE SCHEMA ${schema}`);
    for (const sql of processedEventsMigrationSql(schema).up) await ds.query(sql);
    await ds.query(`CREATE TABLE ${schema}.effects (id SERIAL PRIMARY KEY, event_id UUID NOT NULL, amount NUMERIC NOT NULL)`);
  });

  afterAll(async () => {
    await db?.drop();
  });

  const effectRows = async (eventId: string): Promise<number> =>
    Number((await ds.query(`SELECT count(*) AS n FROM ${schema}.effects WHERE event_id = $1`, [eventId]))[0].n);
  const processedRows = async (eventId: string): Promise<number> =>
    Number((await ds.query(`SELECT count(*) AS n FROM ${schema}.processed_events WHERE event_id = $1`, [eventId]))[0].n);

  it('runs the effect once and reports a redelivery as a duplicate that changes nothing', async () => {
    const eventId = uuidv7();
    const key = { schema, consumerGroup: group, eventId };
    const insert = (m: import('typeorm').EntityManager) =>
      m.query(`INSERT INTO ${schema}.effects (event_id, amount) VALUES ($1, '10.5') RETURNING id`, [eventId]);

    const first = await runIdempotent(ds, key, insert);
    const second = await runIdempotent(ds, key, insert);

    expect(first.duplicate).toBe(false);
    expect(second).toEqual({ duplicate: true });
    expect(await effectRows(eventId)).toBe(1);
    expect(await processedRows(eventId)).toBe(1);
  });

  it('keys by consumer group: another group handles the same event on its own', async () => {
    const eventId = uuidv7();
    const insert = (m: import('typeorm').EntityManager) =>
      m.query(`INSERT INTO ${schema}.effects (event_id, amount) VALUES ($1, '1')`, [eventId]);
    await runIdempotent(ds, { schema, consumerGroup: 'a', eventId }, insert);
    const other = await runIdempotent(ds, { schema, consumerGroup: 'b', eventId }, insert);
    expect(other.duplicate).toBe(false);
    expect(await effectRows(eventId)).toBe(2);
  });

  it('lets only one of two concurrent deliveries on two connections apply the effect', async () => {
    const eventId = uuidv7();
    const key = { schema, consumerGroup: group, eventId };
    const second = await db.connect(2);
    let releaseFirst!: () => void;
    const firstMayCommit = new Promise<void>((resolve) => (releaseFirst = resolve));
    let firstInserted!: () => void;
    const firstHasInserted = new Promise<void>((resolve) => (firstInserted = resolve));

    const first = runIdempotent(ds, key, async (m) => {
      await m.query(`INSERT INTO ${schema}.effects (event_id, amount) VALUES ($1, '3')`, [eventId]);
      firstInserted();
      await firstMayCommit;
      return 'first';
    });
    await firstHasInserted;
    // The second delivery blocks on the primary key held by the open first transaction.
    const other = runIdempotent(second, key, async (m) => {
      await m.query(`INSERT INTO ${schema}.effects (event_id, amount) VALUES ($1, '3')`, [eventId]);
      return 'second';
    });
    await waitForLockWaiter();
    releaseFirst();

    const results = await Promise.all([first, other]);
    expect(results).toEqual([{ duplicate: false, result: 'first' }, { duplicate: true }]);
    expect(await effectRows(eventId)).toBe(1);
  });

  it('leaves neither the effect nor a processed row when the effect throws, so a retry applies it', async () => {
    const eventId = uuidv7();
    const key = { schema, consumerGroup: group, eventId };
    await expect(
      runIdempotent(ds, key, async (m) => {
        await m.query(`INSERT INTO ${schema}.effects (event_id, amount) VALUES ($1, '7')`, [eventId]);
        throw new Error('downstream failure');
      }),
    ).rejects.toThrow('downstream failure');
    expect(await processedRows(eventId)).toBe(0);
    expect(await effectRows(eventId)).toBe(0);

    const retry = await runIdempotent(ds, key, (m) =>
      m.query(`INSERT INTO ${schema}.effects (event_id, amount) VALUES ($1, '7')`, [eventId]),
    );
    expect(retry.duplicate).toBe(false);
    expect(await effectRows(eventId)).toBe(1);
  });

  it('joins the caller transaction when given a transactional EntityManager', async () => {
    const eventId = uuidv7();
    await expect(
      ds.transaction(async (m) => {
        await runIdempotent(m, { schema, consumerGroup: group, eventId }, (inner) =>
          inner.query(`INSERT INTO ${schema}.effects (event_id, amount) VALUES ($1, '2')`, [eventId]),
        );
        throw new Error('outer rollback');
      }),
    ).rejects.toThrow('outer rollback');
    expect(await processedRows(eventId)).toBe(0);
    expect(await effectRows(eventId)).toBe(0);
  });

  async function waitForLockWaiter(): Promise<void> {
    // Deterministic hand-off: wait until PostgreSQL reports the second insert waiting on a lock.
    for (;;) {
      const rows = await ds.query(
        `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%processed_events%'`,
      );
      if (Number(rows[0].n) > 0) return;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
});
