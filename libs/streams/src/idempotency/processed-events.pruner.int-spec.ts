import { Logger } from '@nestjs/common';
import { TcpProxy } from '@trading/testing';
import { DataSource } from 'typeorm';
import { eventually } from '../__fixtures__/stream-test-kit';
import { processedEventsMigrationSql, processedEventsPruneIndexMigrationSql } from './processed-events.migration';
import { ProcessedEventsPruner } from './processed-events.pruner';
import { createTestDatabase, TestDatabase } from './test-database.fixture';

const schema = 'risk';
const HOUR_MS = 3600 * 1000;
const WEEK_MS = 7 * 24 * HOUR_MS;

describe('ProcessedEventsPruner (real PostgreSQL)', () => {
  let db: TestDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase('test_prune');
    ds = await db.connect();
    await ds.query(`CREATE SCHEMA ${schema}`);
    const { up } = processedEventsMigrationSql(schema);
    for (const sql of [...up, ...processedEventsPruneIndexMigrationSql(schema).up]) await ds.query(sql);
  });

  afterAll(async () => {
    await db?.drop();
  });

  beforeEach(async () => {
    await ds.query(`TRUNCATE ${schema}.processed_events`);
  });

  /** `count` keys of `group` processed `ageHours` ago. */
  const seed = (group: string, count: number, ageHours: number) =>
    ds.query(
      `INSERT INTO ${schema}.processed_events (consumer_group, event_id, processed_at)
       SELECT $1, gen_random_uuid(), now() - make_interval(hours => $3) FROM generate_series(1, $2)`,
      [group, count, ageHours],
    );
  const countsByGroup = async (): Promise<Record<string, number>> => {
    const rows: Array<{ consumer_group: string; n: number }> = await ds.query(
      `SELECT consumer_group, count(*)::int AS n FROM ${schema}.processed_events GROUP BY consumer_group ORDER BY consumer_group`,
    );
    return Object.fromEntries(rows.map((r) => [r.consumer_group, r.n]));
  };
  const total = async (): Promise<number> => (await ds.query(`SELECT count(*)::int AS n FROM ${schema}.processed_events`))[0].n;

  it('builds a valid processed_at index for the batches', async () => {
    const rows = await ds.query(
      `SELECT x.indisvalid AS valid, pg_get_indexdef(x.indexrelid) AS def
         FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_namespace n ON n.oid = i.relnamespace
        WHERE n.nspname = $1 AND i.relname = 'idx_processed_events_processed_at'`,
      [schema],
    );
    expect(rows).toEqual([{ valid: true, def: `CREATE INDEX idx_processed_events_processed_at ON ${schema}.processed_events USING btree (processed_at)` }]);
  });

  it('deletes the rows older than the retention, of every group, in batches, and keeps the newer ones', async () => {
    await seed('risk', 23, 8 * 24); // 8 days old
    await seed('risk-stops:bot-1', 4, 7 * 24 + 1); // just past 7 days
    await seed('risk', 10, 6 * 24); // 6 days old
    await seed('risk-stops:bot-1', 5, 0);
    const pruner = new ProcessedEventsPruner({ dataSource: ds, schema, retainMs: WEEK_MS, batchSize: 10 });

    // 27 expired rows in batches of 10: 10 + 10 + 7.
    expect(await pruner.pruneOnce()).toEqual({ removed: 27, batches: 3 });
    expect(await countsByGroup()).toEqual({ risk: 10, 'risk-stops:bot-1': 5 });
    const [{ oldest }] = await ds.query(`SELECT min(processed_at) > now() - interval '7 days' AS oldest FROM ${schema}.processed_events`);
    expect(oldest).toBe(true);
    expect(pruner.removedCount).toBe(27);
  });

  it('runs a round over an already pruned table as a no-op', async () => {
    await seed('risk', 20, 10 * 24);
    await seed('risk', 3, 1);
    const pruner = new ProcessedEventsPruner({ dataSource: ds, schema, retainMs: WEEK_MS, batchSize: 10 });

    // Exactly two full batches: the third finds nothing and ends the round.
    expect(await pruner.pruneOnce()).toEqual({ removed: 20, batches: 3 });
    expect(await pruner.pruneOnce()).toEqual({ removed: 0, batches: 1 });
    expect(await total()).toBe(3);
  });

  it('keeps rows younger than a shorter retention', async () => {
    await seed('risk', 6, 3);
    await seed('risk', 2, 1);
    const pruner = new ProcessedEventsPruner({ dataSource: ds, schema, retainMs: 2 * HOUR_MS });
    expect(await pruner.pruneOnce()).toEqual({ removed: 6, batches: 1 });
    expect(await total()).toBe(2);
  });

  it('logs a round at info level only when it deleted something, at debug level otherwise', async () => {
    const info = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    const debug = jest.spyOn(Logger.prototype, 'debug').mockImplementation(() => undefined);
    const pruner = new ProcessedEventsPruner({ dataSource: ds, schema, retainMs: WEEK_MS, intervalMs: 60_000, firstRunDelayMs: 0 });
    try {
      await seed('risk', 3, 1);
      pruner.start();
      await eventually(() => debug.mock.calls.length > 0, () => 'no round logged');
      expect(info).not.toHaveBeenCalled();
      expect(debug).toHaveBeenCalledWith(expect.objectContaining({ msg: 'pruned processed events', removed: 0 }));
      await pruner.stop();

      await seed('risk', 2, 9 * 24);
      debug.mockClear();
      pruner.start();
      await eventually(() => info.mock.calls.length > 0, () => 'no round logged');
      expect(info).toHaveBeenCalledWith(expect.objectContaining({ msg: 'pruned processed events', removed: 2 }));
      expect(debug).not.toHaveBeenCalled();
    } finally {
      await pruner.stop();
      info.mockRestore();
      debug.mockRestore();
    }
  });

  it('refuses a retention, interval or batch size that is not a positive integer', () => {
    expect(() => new ProcessedEventsPruner({ dataSource: ds, schema, retainMs: 0 })).toThrow('retainMs');
    expect(() => new ProcessedEventsPruner({ dataSource: ds, schema, intervalMs: 1.5 })).toThrow('intervalMs');
    expect(() => new ProcessedEventsPruner({ dataSource: ds, schema, batchSize: -1 })).toThrow('batchSize');
    expect(() => new ProcessedEventsPruner({ dataSource: ds, schema: 'risk; DROP TABLE x' })).toThrow('Invalid schema name');
  });

  it('prunes on its timer, skips rounds while PostgreSQL is unreachable, resumes after, and stops', async () => {
    const { proxy, url } = await TcpProxy.forUrl(db.url);
    const viaProxy = await new DataSource({ type: 'postgres', url, extra: { max: 2, connectionTimeoutMillis: 1000 } }).initialize();
    const pruner = new ProcessedEventsPruner({ dataSource: viaProxy, schema, retainMs: WEEK_MS, intervalMs: 100, firstRunDelayMs: 0 });
    try {
      await seed('risk', 12, 9 * 24);
      pruner.start();
      await eventually(async () => (await total()) === 0, () => 'expired rows still there');
      expect(pruner.failedRounds).toBe(0);

      await proxy.cut();
      await seed('risk', 5, 9 * 24);
      await eventually(() => pruner.failedRounds >= 2, () => `${pruner.failedRounds} failed rounds`);
      expect(await total()).toBe(5);

      await proxy.restore();
      await eventually(async () => (await total()) === 0, () => 'expired rows not pruned after PostgreSQL came back');
      expect(pruner.removedCount).toBe(17);

      await pruner.stop();
      const failedAtStop = pruner.failedRounds;
      await seed('risk', 1, 9 * 24);
      // Several intervals: a stopped pruner runs no further round.
      await new Promise((r) => setTimeout(r, 500));
      expect(await total()).toBe(1);
      expect(pruner.failedRounds).toBe(failedAtStop);
    } finally {
      await pruner.stop();
      await viaProxy.destroy();
      await proxy.cut();
    }
  });
});
