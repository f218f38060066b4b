import { Streams } from '@trading/contracts';
import Redis from 'ioredis';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { audit, deleteNamespace, eventually, REDIS_URL, testNamespace } from '../__fixtures__/stream-test-kit';
import { StreamPublisher } from '../publisher/stream-publisher';
import { streamKey } from '../redis/stream-keys';

const ROOT = path.resolve(__dirname, '../../../..');
const FIXTURE = path.join(__dirname, '../__fixtures__/crash-consumer.fixture.js');
const N = 10_000;

describe('consumer killed with SIGKILL (real Redis, child processes running dist/)', () => {
  const namespace = testNamespace('crash');
  const redis = new Redis(REDIS_URL);
  const children: ChildProcess[] = [];

  beforeAll(() => {
    execFileSync(process.execPath, [path.join(ROOT, 'scripts/build.js'), '--quiet'], { cwd: ROOT, stdio: 'inherit' });
  });

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await deleteNamespace(redis, namespace);
    redis.disconnect();
  });

  async function startChild(consumer: string, claimIdleMs: number): Promise<ChildProcess> {
    const child = spawn(process.execPath, [FIXTURE], {
      env: { ...process.env, REDIS_URL, NAMESPACE: namespace, CONSUMER: consumer, CLAIM_IDLE_MS: String(claimIdleMs) },
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

  it(`handles every one of ${N} events although consumers die midway`, async () => {
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
    // At-least-once, not exactly-once: report how many effects ran twice.
    console.log(`crash recovery: ${N} events, ${deliveries - N} handled twice, ${pendingOfDead} pending when the second consumer died`);
  });
});
