import type { INestMicroservice } from '@nestjs/common';
import { Streams } from '@trading/contracts';
import Redis from 'ioredis';
import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { audit, deferred, eventually, startConsumer, testNamespace } from '../__fixtures__/stream-test-kit';
import { StreamPublisher } from '../publisher/stream-publisher';
import { streamKey } from '../redis/stream-keys';

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/** A private redis-server on its own port and data dir, that the test can kill and start again. */
class PrivateRedis {
  private process?: ChildProcess;

  constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly persistent: boolean,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const persistence = this.persistent ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'];
    this.process = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', ...persistence, '--dir', this.dir], {
      stdio: 'ignore',
    });
    const probe = new Redis(this.url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    await eventually(
      async () => {
        try {
          await probe.connect();
          return (await probe.ping()) === 'PONG';
        } catch {
          // Not on a refused (ended) probe: that arms ioredis' 2 s socket-destroy timer, which nothing clears.
          if (probe.status !== 'end') probe.disconnect();
          return false;
        }
      },
      () => `redis-server on ${this.port} did not start`,
    );
    probe.disconnect();
  }

  async kill(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGKILL');
    await once(child, 'exit');
  }
}

describe('Redis restarted under running consumers and publishers', () => {
  const dirs: string[] = [];
  const servers: PrivateRedis[] = [];
  const apps: INestMicroservice[] = [];
  const publishers: StreamPublisher[] = [];

  async function privateRedis(persistent: boolean): Promise<PrivateRedis> {
    const dir = mkdtempSync(path.join(tmpdir(), 'streams-restart-'));
    dirs.push(dir);
    const server = new PrivateRedis(await freePort(), dir, persistent);
    servers.push(server);
    await server.start();
    return server;
  }

  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
    await Promise.all(publishers.splice(0).map((p) => p.close()));
    await Promise.all(servers.splice(0).map((s) => s.kill()));
    dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true }));
  });

  it('resumes by itself and loses nothing when Redis comes back with its AOF', async () => {
    const redisServer = await privateRedis(true);
    const namespace = testNamespace('restart');
    const publisher = StreamPublisher.connect({ redisUrl: redisServer.url, namespace });
    publishers.push(publisher);
    const handled = new Set<string>();
    const outage = deferred();
    const { app } = await startConsumer(
      Streams.Audit,
      async (event) => {
        // Past the 50th event, handlers hang until Redis is down: some are in flight across the crash.
        if (Number(event.payload.details['i']) >= 50) await outage.promise;
        handled.add(event.id);
      },
      { redisUrl: redisServer.url, namespace, service: 'restart', concurrency: 8, blockMs: 200, claimIdleMs: 5_000 },
    );
    apps.push(app);

    const before = Array.from({ length: 300 }, (_, i) => audit(i));
    await publisher.publishBatch(Streams.Audit, before);
    await eventually(() => handled.size === 50, () => `${handled.size} handled before the restart`);

    await redisServer.kill();
    outage.resolve();
    // Published while Redis is down: queued by the client, written once it is back.
    const after = Array.from({ length: 200 }, (_, i) => audit(300 + i));
    const publishing = publisher.publishBatch(Streams.Audit, after);
    await redisServer.start();
    await publishing;

    const all = [...before, ...after];
    await eventually(() => all.every((e) => handled.has(e.id)), () => `${handled.size} of ${all.length} handled`, 30_000);
    const check = new Redis(redisServer.url);
    await eventually(
      async () => ((await check.xpending(streamKey(namespace, Streams.Audit), 'restart')) as [number])[0] === 0,
      () => 'entries still pending',
    );
    check.disconnect();
  });

  it('re-creates its consumer group when Redis comes back empty', async () => {
    const redisServer = await privateRedis(false);
    const namespace = testNamespace('restart-empty');
    const publisher = StreamPublisher.connect({ redisUrl: redisServer.url, namespace });
    publishers.push(publisher);
    const handled = new Set<string>();
    const { app } = await startConsumer(Streams.Audit, (event) => void handled.add(event.id), {
      redisUrl: redisServer.url,
      namespace,
      service: 'restart-empty',
      blockMs: 200,
    });
    apps.push(app);
    const before = Array.from({ length: 20 }, (_, i) => audit(i));
    await publisher.publishBatch(Streams.Audit, before);
    await eventually(() => handled.size === 20, () => `${handled.size} handled`);

    await redisServer.kill();
    await redisServer.start();
    const after = Array.from({ length: 20 }, (_, i) => audit(100 + i));
    await publisher.publishBatch(Streams.Audit, after);
    await eventually(() => after.every((e) => handled.has(e.id)), () => `${handled.size} handled after the restart`, 30_000);
  });
});
