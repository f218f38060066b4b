import { randomBytes } from 'node:crypto';
import { DEFAULT_DATABASE_URL, dropDatabase, ensureDatabaseExists, withDatabaseName } from '@trading/database';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** The PostgreSQL server tests use (DATABASE_URL, resolved by the jest global setup). */
export function testDatabaseServerUrl(): string {
  return process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
}

export function testRedisUrl(): string {
  return process.env.REDIS_URL ?? DEFAULT_REDIS_URL;
}

export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}

/** A Redis key namespace of its own for one test suite, so suites run in parallel on one Redis. */
export function uniqueRedisNamespace(label: string): string {
  return `test:${label}:${uniqueSuffix()}:`;
}

export interface TestDatabase {
  readonly url: string;
  readonly name: string;
  drop(): Promise<void>;
}

/** A fresh, empty database of its own for one test suite; `drop()` removes it. */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const name = `test_${label.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${uniqueSuffix()}`;
  const url = withDatabaseName(testDatabaseServerUrl(), name);
  await ensureDatabaseExists(url);
  return { url, name, drop: () => dropDatabase(url) };
}
