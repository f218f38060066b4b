import { Client } from 'pg';
import Redis from 'ioredis';
import { DEFAULT_DATABASE_URL } from '@trading/database';
import { DEFAULT_REDIS_URL } from '../test-environment';

/**
 * Integration tests run against a real PostgreSQL and Redis:
 *  1. DATABASE_URL / REDIS_URL when set;
 *  2. else the local defaults when they answer;
 *  3. else testcontainers when a Docker engine answers;
 *  4. else the run fails with a clear message (never skips silently).
 */
async function postgresAnswers(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url.replace(/\/[^/]*$/, '/postgres'), connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function redisAnswers(url: string): Promise<boolean> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 3000 });
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

async function dockerAvailable(): Promise<boolean> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

export default async function globalSetup(): Promise<void> {
  const dbUrl = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  const redisUrl = process.env.REDIS_URL ?? DEFAULT_REDIS_URL;
  let dbOk = await postgresAnswers(dbUrl);
  let redisOk = await redisAnswers(redisUrl);

  if ((!dbOk && !process.env.DATABASE_URL) || (!redisOk && !process.env.REDIS_URL)) {
    if (await dockerAvailable()) {
      const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
      const { RedisContainer } = await import('@testcontainers/redis');
      if (!dbOk) {
        const pg = await new PostgreSqlContainer('postgres:15').withDatabase('trading').withUsername('postgres').withPassword('postgres').start();
        process.env.DATABASE_URL = pg.getConnectionUri();
        (globalThis as Record<string, unknown>).__PG_CONTAINER__ = pg;
        dbOk = true;
      }
      if (!redisOk) {
        const redis = await new RedisContainer('redis:7').start();
        process.env.REDIS_URL = redis.getConnectionUrl();
        (globalThis as Record<string, unknown>).__REDIS_CONTAINER__ = redis;
        redisOk = true;
      }
    }
  }
  const missing = [!dbOk && `PostgreSQL (${dbUrl.replace(/:[^:@/]*@/, ':***@')})`, !redisOk && `Redis (${redisUrl})`].filter(Boolean);
  if (missing.length) {
    throw new Error(
      `Integration tests need a real ${missing.join(' and ')}, and none answered. ` +
        'Set DATABASE_URL / REDIS_URL, or run `npm run services` (starts private instances from installed binaries), ' +
        'or start a Docker engine for testcontainers. Install on Debian: apt-get install -y postgresql redis-server',
    );
  }
  process.env.DATABASE_URL = process.env.DATABASE_URL ?? dbUrl;
  process.env.REDIS_URL = process.env.REDIS_URL ?? redisUrl;
}
