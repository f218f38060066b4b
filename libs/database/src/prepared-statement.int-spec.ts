import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DEFAULT_DATABASE_URL, withDatabaseName } from './database-url';
import { dropDatabase, ensureDatabaseExists } from './ensure-database';
import { PreparedStatement, queryPrepared } from './prepared-statement';

const INSERT: PreparedStatement = { name: 'test.items.insert', text: 'INSERT INTO items (n) VALUES ($1) RETURNING n' };
const COUNT: PreparedStatement = {
  name: 'test.items.count',
  text: 'SELECT count(*)::int AS n FROM items WHERE n >= $1',
};

describe('queryPrepared: named prepared statements through TypeORM connections', () => {
  const url = withDatabaseName(
    process.env.DATABASE_URL || DEFAULT_DATABASE_URL,
    `prepared_${randomBytes(4).toString('hex')}`,
  );
  let ds: DataSource;

  const preparedOnThisConnection = async (manager: DataSource['manager']): Promise<string[]> =>
    (await manager.query(`SELECT name FROM pg_prepared_statements WHERE name LIKE 'test.%' ORDER BY name`)).map(
      (r: { name: string }) => r.name,
    );

  beforeAll(async () => {
    await ensureDatabaseExists(url);
    ds = await new DataSource({ type: 'postgres', url, poolSize: 2 }).initialize();
    await ds.query('CREATE TABLE items (n int NOT NULL)');
  });

  afterAll(async () => {
    await ds?.destroy();
    await dropDatabase(url);
  });

  it("runs inside the manager's transaction, prepared once on its connection, and rolls back with it", async () => {
    await expect(
      ds.transaction(async (m) => {
        expect(await queryPrepared<{ n: number }>(m, INSERT, [7])).toEqual([{ n: 7 }]);
        expect(await queryPrepared<{ n: number }>(m, INSERT, [8])).toEqual([{ n: 8 }]);
        expect(await queryPrepared<{ n: number }>(m, COUNT, [0])).toEqual([{ n: 2 }]); // sees its own uncommitted rows
        expect(await preparedOnThisConnection(m)).toEqual(['test.items.count', 'test.items.insert']);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await queryPrepared<{ n: number }>(ds, COUNT, [0])).toEqual([{ n: 0 }]);
  });

  it('on a DataSource, borrows a pooled connection and gives it back', async () => {
    for (let i = 0; i < 5; i++) await queryPrepared(ds, INSERT, [i]);
    expect(await queryPrepared<{ n: number }>(ds, COUNT, [3])).toEqual([{ n: 2 }]);
    const pool = (ds.driver as unknown as { master: { totalCount: number; idleCount: number } }).master;
    expect(pool.idleCount).toBe(pool.totalCount);
  });

  it("reports a failing statement with PostgreSQL's error", async () => {
    await expect(
      queryPrepared(ds, { name: 'test.items.bad', text: 'SELECT n FROM missing_table' }, []),
    ).rejects.toMatchObject({ code: '42P01' });
  });

  it('prepares a statement again after a migration changed its result type: the call that hit it fails, the next one succeeds', async () => {
    const one = await new DataSource({ type: 'postgres', url, poolSize: 1 }).initialize();
    const READ: PreparedStatement = { name: 'test.gauge.read', text: 'SELECT v FROM gauge' };
    try {
      await one.query('CREATE TABLE gauge (v int NOT NULL)');
      await one.query('INSERT INTO gauge (v) VALUES (42)');
      expect(await queryPrepared(one, READ, [])).toEqual([{ v: 42 }]);
      await ds.query('ALTER TABLE gauge ALTER COLUMN v TYPE numeric(10, 2)'); // another connection: a migration
      await expect(one.transaction((m) => queryPrepared(m, READ, []))).rejects.toMatchObject({ code: '0A000' });
      expect(await one.transaction((m) => queryPrepared(m, READ, []))).toEqual([{ v: '42.00' }]);
      expect(await queryPrepared(one, READ, [])).toEqual([{ v: '42.00' }]);
      expect(await preparedOnThisConnection(one.manager)).toContain('test.gauge.read');
    } finally {
      await one.destroy();
    }
  });
});
