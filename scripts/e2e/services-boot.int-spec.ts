import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { createTestDatabase, freePort, httpStatus, repoRoot, spawnNode, SpawnedProcess, TcpProxy, TestDatabase, testRedisUrl, waitFor } from '@trading/testing';

/**
 * Every service boots from its built entry point, answers its health probes, reports 503 while
 * its PostgreSQL or Redis is unreachable and 200 again once they return, stops cleanly on
 * SIGTERM, and refuses to start on bad configuration with a message naming the variable.
 */
const SERVICES = [
  { name: 'api-gateway', database: false },
  { name: 'auth', database: true },
  { name: 'market-data', database: true },
  { name: 'strategy', database: true },
  { name: 'trading-engine', database: true },
  { name: 'risk', database: true },
  { name: 'analytics', database: true },
] as const;

const entry = (service: string) => path.join('dist', 'apps', service, 'src', 'main.js');

describe('services boot, report readiness and stop cleanly', () => {
  let db: TestDatabase;
  let pg: { proxy: TcpProxy; url: string };
  let redis: { proxy: TcpProxy; url: string };
  const running: { name: string; database: boolean; port: number; process: SpawnedProcess }[] = [];

  const readiness = () => Promise.all(running.map(async (s) => [s.name, await httpStatus(`http://127.0.0.1:${s.port}/health/ready`)] as const));
  const expectReadiness = async (expected: (s: { database: boolean }) => number, what: string) =>
    waitFor(async () => (await readiness()).every(([name, status]) => status === expected(running.find((r) => r.name === name)!)), {
      what,
      timeoutMs: 20_000,
      intervalMs: 250,
    });

  beforeAll(async () => {
    execFileSync(process.execPath, [path.join(repoRoot, 'scripts/build.js'), '--quiet'], { stdio: 'inherit' });
    db = await createTestDatabase('boot');
    execFileSync(process.execPath, [path.join(repoRoot, 'scripts/migrate.js'), 'up'], { env: { ...process.env, DATABASE_URL: db.url }, stdio: 'pipe' });
    pg = await TcpProxy.forUrl(db.url);
    redis = await TcpProxy.forUrl(testRedisUrl());
    for (const service of SERVICES) {
      const port = await freePort();
      const process = spawnNode(entry(service.name), [], { PORT: String(port), DATABASE_URL: pg.url, REDIS_URL: redis.url, LOG_LEVEL: 'warn', SHUTDOWN_TIMEOUT_MS: '8000', MARKET_FEEDS: 'none' });
      running.push({ ...service, port, process });
    }
    await waitFor(async () => (await readiness()).every(([, status]) => status === 200), { what: 'every service ready', timeoutMs: 45_000, intervalMs: 250 }).catch(
      (error: Error) => {
        throw new Error(`${error.message}\n${running.map((s) => `--- ${s.name}\n${s.process.output().slice(-2000)}`).join('\n')}`);
      },
    );
  }, 90_000);

  afterAll(async () => {
    for (const s of running) s.process.child.kill('SIGKILL');
    await pg?.proxy.cut();
    await redis?.proxy.cut();
    await db?.drop();
  });

  it('answers /health/live and /health/ready with 200 on every service', async () => {
    for (const s of running) {
      expect(await httpStatus(`http://127.0.0.1:${s.port}/health/live`)).toBe(200);
      expect(await httpStatus(`http://127.0.0.1:${s.port}/health/ready`)).toBe(200);
    }
  });

  it('goes 503 while PostgreSQL is unreachable and back to 200 when it returns', async () => {
    await pg.proxy.cut();
    await expectReadiness((s) => (s.database ? 503 : 200), 'database services to report 503');
    await pg.proxy.restore();
    await expectReadiness(() => 200, 'every service ready again');
  }, 60_000);

  it('goes 503 while Redis is unreachable and back to 200 when it returns', async () => {
    await redis.proxy.cut();
    await expectReadiness(() => 503, 'every service to report 503');
    await redis.proxy.restore();
    await expectReadiness(() => 200, 'every service ready again');
  }, 60_000);

  it('stops cleanly on SIGTERM', async () => {
    for (const s of running) s.process.child.kill('SIGTERM');
    const exits = await Promise.all(running.map((s) => s.process.exited));
    expect(exits.map((e, i) => [running[i].name, e.code])).toEqual(running.map((s) => [s.name, 0]));
  }, 30_000);

  it.each(SERVICES.map((s) => s.name))('%s refuses to start on bad configuration, naming each variable', async (service) => {
    const started = spawnNode(entry(service), [], { PORT: 'not-a-port', DATABASE_URL: 'mysql://nowhere', LOG_LEVEL: 'loud' });
    const { code } = await started.exited;
    expect(code).toBe(78);
    const output = started.output();
    expect(output).toContain(`Invalid configuration for ${service}`);
    for (const variable of ['PORT', 'DATABASE_URL', 'LOG_LEVEL']) expect(output).toMatch(new RegExp(`- ${variable}: `));
  });
});
