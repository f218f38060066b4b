import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';

const SERVER_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function adminUrl(): string {
  const url = new URL(SERVER_URL);
  url.pathname = '/postgres';
  return url.toString();
}

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  /** A new TypeORM DataSource on this database (callers destroy it). */
  connect(poolSize?: number): Promise<DataSource>;
  drop(): Promise<void>;
}

/** A database of its own for one suite (`<prefix>_<random>`), dropped by `drop()`. */
export async function createTestDatabase(prefix: string): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  const sources: DataSource[] = [];
  return {
    name,
    url: url.toString(),
    async connect(poolSize = 5) {
      const ds = new DataSource({ type: 'postgres', url: url.toString(), extra: { max: poolSize } });
      sources.push(ds);
      return ds.initialize();
    },
    async drop() {
      await Promise.all(sources.filter((s) => s.isInitialized).map((s) => s.destroy()));
      await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}
