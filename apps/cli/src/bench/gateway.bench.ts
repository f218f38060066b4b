import { spawn, spawnSync, ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { createRequire } from 'node:module';
import { DEFAULT_DATABASE_URL, dropDatabase, ensureDatabaseExists, withDatabaseName } from '@trading/database';
import { deleteRedisNamespace, freePort, workspaceRoot } from './bench-host';

const ROOT = workspaceRoot(__dirname);

interface AutocannonResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}
// autocannon ships no type declarations.
const autocannon = createRequire(__filename)('autocannon') as (options: { url: string; headers: Record<string, string>; connections: number; duration: number }) => Promise<AutocannonResult>;
const PASSWORD = 'Bench-Passw0rd-123';
const BOTS = 5;

/**
 * `tradectl bench gateway [--duration 10] [--connections 50]`: authenticated `GET /api/v1/bots` through the
 * real gateway (JWT check, session revocation check, Redis rate limit, validation, RPC to the real strategy
 * service and its PostgreSQL read), next to two bare Fastify routes (no Nest, no auth, no logging) measured in
 * the same run on the same machine, all as separate processes:
 *  - returning the same JSON from memory (what Fastify alone can serve), and
 *  - making the same RPC to strategy (the same backend work without the gateway).
 * The ratios against each are printed; the second one is the gateway's own cost. Also shown: the gateway's
 * /health/live (no auth, no RPC).
 */
export async function run(args: string[]): Promise<void> {
  const duration = numberArg(args, '--duration', 10);
  const connections = numberArg(args, '--connections', 50);
  const serverUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const dbUrl = withDatabaseName(serverUrl, `bench_gateway_${randomBytes(4).toString('hex')}`);
  const namespace = `bench:gateway:${randomBytes(4).toString('hex')}:`;
  const env = {
    ...process.env,
    DATABASE_URL: dbUrl,
    REDIS_URL: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
    REDIS_NAMESPACE: namespace,
    RATE_LIMIT_DEFAULT: '9999999/1',
    NODE_ENV: 'production',
    JWT_SECRET: randomBytes(32).toString('hex'),
    MASTER_KEY: randomBytes(32).toString('base64'),
    MASTER_KEY_ID: 'bench',
    INTERNAL_RPC_TOKEN: randomBytes(32).toString('hex'),
  };
  const children: ChildProcess[] = [];
  await ensureDatabaseExists(dbUrl);
  try {
    for (const service of ['auth', 'strategy']) {
      const migrated = spawnSync(process.execPath, [path.join(ROOT, `dist/apps/${service}/src/migrate.js`), 'up'], { env, encoding: 'utf8' });
      if (migrated.status !== 0) throw new Error(`${service} migrations failed: ${migrated.stderr}`);
    }
    const [authPort, strategyPort, gatewayPort, barePort, forwardPort] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
    children.push(start('dist/apps/auth/src/main.js', { ...env, PORT: String(authPort) }));
    children.push(start('dist/apps/strategy/src/main.js', { ...env, PORT: String(strategyPort) }));
    children.push(start('dist/apps/api-gateway/src/main.js', { ...env, PORT: String(gatewayPort) }));
    const gateway = `http://127.0.0.1:${gatewayPort}`;
    await Promise.all([waitOk(`http://127.0.0.1:${authPort}/health/ready`), waitOk(`http://127.0.0.1:${strategyPort}/health/ready`), waitOk(`${gateway}/health/ready`)]);

    const email = `bench-${randomBytes(4).toString('hex')}@example.com`;
    await postJson(`${gateway}/api/v1/auth/register`, { email, password: PASSWORD });
    const { accessToken } = (await postJson(`${gateway}/api/v1/auth/login`, { email, password: PASSWORD })) as { accessToken: string };
    const auth = { authorization: `Bearer ${accessToken}` };
    const strategies = (await getJson(`${gateway}/api/v1/strategies`, auth)) as { items: { id: string; name: string }[] };
    const smaCross = strategies.items.find((s) => s.name === 'sma_cross');
    if (!smaCross) throw new Error('strategy catalog has no sma_cross');
    for (let i = 0; i < BOTS; i++) {
      await postJson(`${gateway}/api/v1/bots`, { strategyId: smaCross.id, name: `bench ${i}`, exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h', initialCapital: '1000' }, auth);
    }
    // The bare routes answer exactly what the gateway answers for this user.
    const botsBody = JSON.stringify(await getJson(`${gateway}/api/v1/bots`, auth));
    const userId = (JSON.parse(botsBody) as { items: { userId: string }[] }).items[0].userId;
    children.push(startBareFastify(barePort, 'static', { ...env, BENCH_BODY: botsBody }));
    children.push(startBareFastify(forwardPort, 'forward', { ...env, BENCH_USER_ID: userId }));
    await Promise.all([waitOk(`http://127.0.0.1:${barePort}/bots`), waitOk(`http://127.0.0.1:${forwardPort}/bots`)]);
    const forwarded = await getJson(`http://127.0.0.1:${forwardPort}/bots`, {});
    if (JSON.stringify(forwarded) !== botsBody) throw new Error('the forwarding baseline does not answer what the gateway answers');

    console.log(`autocannon: ${connections} connections, ${duration} s per target, ${process.env.REDIS_URL ? 'REDIS_URL' : 'local Redis'}, PostgreSQL ${serverUrl.replace(/\/\/[^@]*@/, '//')}`);
    console.log('logs: services at info (one line per request), output discarded\n');
    const bare = await measure(`http://127.0.0.1:${barePort}/bots`, {}, duration, connections);
    const forward = await measure(`http://127.0.0.1:${forwardPort}/bots`, {}, duration, connections);
    const bots = await measure(`${gateway}/api/v1/bots`, auth, duration, connections);
    const live = await measure(`${gateway}/health/live`, {}, duration, connections);
    const rows = [
      [`bare Fastify GET /bots (same JSON from memory, ${BOTS} bots)`, bare],
      ['bare Fastify GET /bots (same RPC to strategy + PostgreSQL)', forward],
      ['gateway GET /api/v1/bots (auth, limits, RPC + PostgreSQL)', bots],
      ['gateway GET /health/live (no auth, no RPC)', live],
    ] as const;
    console.log(pad('target', 64) + pad('req/s', 10) + pad('p50 ms', 9) + pad('p99 ms', 9) + pad('non-2xx', 9) + 'vs bare');
    for (const [name, r] of rows) {
      console.log(pad(name, 64) + pad(r.rps.toFixed(0), 10) + pad(String(r.p50), 9) + pad(String(r.p99), 9) + pad(String(r.non2xx + r.errors), 9) + `${((r.rps / bare.rps) * 100).toFixed(1)} %`);
    }
    console.log(`\nratio gateway GET /api/v1/bots : bare Fastify making the same RPC = ${(bots.rps / forward.rps).toFixed(3)} (the gateway's own cost; target >= 0.5)`);
    console.log(`ratio gateway GET /api/v1/bots : bare Fastify answering from memory = ${(bots.rps / bare.rps).toFixed(3)}`);
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))));
    await dropDatabase(dbUrl).catch(() => undefined);
    await deleteRedisNamespace(env.REDIS_URL, namespace).catch(() => undefined);
  }
}

interface Measured {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

async function measure(url: string, headers: Record<string, string>, duration: number, connections: number): Promise<Measured> {
  await autocannon({ url, headers, connections, duration: 1 }); // warm-up
  const result = await autocannon({ url, headers, connections, duration });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors };
}

function start(script: string, env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [path.join(ROOT, script)], { env, stdio: ['ignore', 'ignore', 'inherit'] });
}

function startBareFastify(port: number, mode: 'static' | 'forward', env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [path.join(__dirname, 'bare-fastify.server.js'), String(port), mode], { env, stdio: ['ignore', 'ignore', 'inherit'] });
}

async function getJson(url: string, headers: Record<string, string>): Promise<unknown> {
  const res = await fetch(url, { headers });
  const json = (await res.json()) as unknown;
  if (!res.ok) throw new Error(`${url}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<unknown> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const json = (await res.json()) as unknown;
  if (!res.ok) throw new Error(`${url}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function waitOk(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(1000) })).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

function numberArg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  const value = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
}

const pad = (s: string, n: number) => s.padEnd(n);
