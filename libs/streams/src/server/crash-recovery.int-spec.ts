import { Streams } from '@trading/contracts';
import Redis from 'ioredis';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { audit, deleteNamespace, eventually, REDIS_URL, testNamespace } from '../__fixtures__/stream-test-kit';
import { createTestDatabase, TestDatabase } from '@trading/testing';
import { Client } from 'pg';
import { processedEventsMigrationSql } from '../idempotency/processed-events.migration';
import { StreamPublisher } from '../publisher/stream-publisher';
import { streamKey } from '../redis/stream-keys';

const ROOT = path.resolve(__dirname, '../../../..');
const FIXTURE = path.join(__dirname, '../__fixtures__/crash-consumer.fixture.js');
const N = 10_000;

describe('consumer killed with SIGKILL (real Redis, child processes running dist/)', () => {
  const namespace = testNamespace('crash');
  const redis = new Redis(REDIS_URL);
  const children: ChildProcess[] = [];
  let db: TestDatabase;
  let pg: Client;

  beforeAll(async () => {
    execFileSync(process.execPath, [path.join(ROOT, 'scripts/build.js'), '--quiet'], { cwd: ROOT, stdio: 'inherit' });
    db = await createTestDatabase('crash');
    pg = new Client({ connectionString: db.url });
    await pg.connect();
    await pg.query('CREATE SCHEMA crash');
    for (const statement of processedEventsMigrationSql('crash').up) await pg.query(statement);
    // No unique key on purpose: a second effect for one event would show as a second row.
    await pg.query('CREATE TABLE crash.effects (event_id uuid NOT NULL)');
  });

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await deleteNamespace(redis, namespace);
    redis.disconnect();
    await pg?.end();
    await db?.drop();
  });

  async function startChild(consumer: string, claimIdleMs: number): Promise<ChildProcess> {
    const child = spawn(process.execPath, [FIXTURE], {
      env: { ...process.env, REDIS_URL, DATABASE_URL: db.url, NAMESPACE: namespace, CONSUMER: consumer, CLAIM_IDLE_MS: String(claimIdleMs) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await eventually(() => output.includes('ready') || child.exitCode !== null, () => 'child did not start');
    if (child.exitCode !== null) throw new Error(`child exited with ${child.exitCode}`);
    return child;
  }

  async function kill(child: ChildProcess): Promise<void> {
    child.kill('SIGKILL');
    if (child.signalCode === null) await once(child, 'exit');
  }

  const handledCount = () => redis.scard(`${namespace}handled`);

  it(`applies the effect of every one of ${N} events exactly once although consumers die midway`, async () => {
    const events = Array.from({ length: N }, (_, i) => audit(i));
    const publisher = StreamPublisher.connect({ redisUrl: REDIS_URL, namespace });
    await publisher.publishBatch(Streams.Audit, events);
    await publisher.close();

    // First consumer dies a third of the way in.
    const first = await startChild('crash-a', 60_000);
    await eventually(async () => (await handledCount()) >= N / 3, () => 'first consumer too slow');
    await kill(first);
    const afterFirst = await handledCount();

    // Restarted under the same name: it re-reads its own pending entries first. Dies again.
    const restarted = await startChild('crash-a', 60_000);
    await eventually(async () => (await handledCount()) >= (2 * N) / 3, () => 'restarted consumer too slow');
    await kill(restarted);
    const pendingOfDead = ((await redis.xpending(streamKey(namespace, Streams.Audit), 'crash-test')) as [number])[0];

    // A replacement with another name takes over what the dead one left pending.
    const replacement = await startChild('crash-b', 300);
    let handled = 0;
    await eventually(async () => (handled = await handledCount()) === N, () => `${handled} of ${N} handled`, 60_000);
    await eventually(
      async () => ((await redis.xpending(streamKey(namespace, Streams.Audit), 'crash-test')) as [number])[0] === 0,
      () => 'entries still pending',
    );
    await kill(replacement);

    const handledIds = new Set(await redis.smembers(`${namespace}handled`));
    expect(events.every((e) => handledIds.has(e.id))).toBe(true);
    const deliveries = Number(await redis.get(`${namespace}handled-count`));
    expect(deliveries).toBeGreaterThanOrEqual(N);
    expect(afterFirst).toBeLessThan(N);
    // Delivery is at-least-once; with the idempotency helper every effect happened exactly once.
    const effects = (await pg.query('SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS d FROM crash.effects')).rows[0];
    expect(effects).toEqual({ n: N, d: N });
    console.log(`crash recovery: ${N} events, ${deliveries - N} delivered twice, ${pendingOfDead} pending when the second consumer died, ${effects.n} effects`);
  });
});
