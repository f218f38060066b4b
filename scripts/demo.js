#!/usr/bin/env node
'use strict';
/**
 * `npm run demo [-- --once]`: ensures PostgreSQL and Redis, applies every migration, starts the
 * seven services (logs in .local/logs/), waits until each reports ready and prints their health.
 * With --once it then stops them all cleanly and exits 0; without, they keep running until Ctrl-C.
 */
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');
const { ensureServices } = require('./ensure-services');

const root = path.resolve(__dirname, '..');
const once = process.argv.includes('--once');
const SERVICES = [
  { name: 'api-gateway', port: 3000 },
  { name: 'auth', port: 3001 },
  { name: 'market-data', port: 3002 },
  { name: 'strategy', port: 3003 },
  { name: 'trading-engine', port: 3004 },
  { name: 'risk', port: 3005 },
  { name: 'analytics', port: 3006 },
];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function portFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '0.0.0.0', () => server.close(() => resolve(true)));
  });
}

async function choosePort(preferred) {
  if (await portFree(preferred)) return preferred;
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function probe(url) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return { status: res.status, body: await res.json().catch(() => ({})) };
  } catch (error) {
    return { status: 0, body: { error: error.message } };
  }
}

async function main() {
  const services = await ensureServices();
  const env = { ...process.env, ...services, TZ: 'UTC' };
  console.log(`PostgreSQL ${services.DATABASE_URL.replace(/:[^:@/]*@/, ':***@')}\nRedis      ${services.REDIS_URL}`);

  const migrate = spawnSync(process.execPath, [path.join(root, 'scripts/migrate.js'), 'up'], { cwd: root, env, stdio: 'inherit' });
  if (migrate.status !== 0) throw new Error('migrations failed');

  const logDir = path.join(root, '.local', 'logs');
  fs.mkdirSync(logDir, { recursive: true });
  const children = [];
  for (const service of SERVICES) {
    service.port = await choosePort(service.port);
    const log = fs.openSync(path.join(logDir, `${service.name}.log`), 'w');
    const child = spawn(process.execPath, [path.join(root, 'dist/apps', service.name, 'src/main.js')], {
      cwd: root,
      env: { ...env, PORT: String(service.port) },
      stdio: ['ignore', log, log],
    });
    child.on('exit', (code, signal) => {
      service.exited = { code, signal };
    });
    children.push({ service, child });
  }

  let stopping = false;
  const stopAll = async () => {
    if (stopping) return;
    stopping = true;
    for (const { child } of children) if (child.exitCode === null) child.kill('SIGTERM');
    const deadline = Date.now() + 15_000;
    while (children.some(({ child }) => child.exitCode === null && child.signalCode === null) && Date.now() < deadline) await sleep(100);
    for (const { child } of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.on('SIGINT', () => stopAll().then(() => process.exit(0)));
  process.on('SIGTERM', () => stopAll().then(() => process.exit(0)));

  const deadline = Date.now() + 60_000;
  const health = new Map();
  while (Date.now() < deadline) {
    for (const { service } of children) {
      if (health.get(service.name)?.status === 200) continue;
      health.set(service.name, await probe(`http://127.0.0.1:${service.port}/health/ready`));
    }
    if ([...health.values()].every((h) => h.status === 200) && health.size === SERVICES.length) break;
    if (children.some(({ service }) => service.exited)) break;
    await sleep(300);
  }

  const rows = SERVICES.map((s) => {
    const h = health.get(s.name) ?? { status: 0, body: {} };
    const details = h.body.details ?? {};
    const deps = Object.entries(details).map(([k, v]) => `${k}:${v.status}`).join(' ') || (h.body.error ?? '');
    return [s.name, String(s.port), h.status === 200 ? 'ready' : s.exited ? `exited (${s.exited.code ?? s.exited.signal})` : `not ready (${h.status || 'no answer'})`, deps];
  });
  const widths = [0, 1, 2, 3].map((i) => Math.max(...[['service', 'port', 'state', 'dependencies'][i], ...rows.map((r) => r[i])].map((c) => c.length)));
  const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  console.log(`\n${line(['service', 'port', 'state', 'dependencies'])}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const row of rows) console.log(line(row));
  const allReady = rows.every((r) => r[2] === 'ready');
  console.log(`\nlogs: ${path.relative(process.cwd(), logDir)}/<service>.log`);

  if (once || !allReady) {
    await stopAll();
    const unclean = children.filter(({ child }) => child.exitCode !== 0);
    if (!allReady) throw new Error('not every service became ready (see the logs)');
    if (unclean.length) throw new Error(`services did not stop cleanly: ${unclean.map((c) => c.service.name).join(', ')}`);
    console.log('all services stopped cleanly');
    return;
  }
  console.log(`gateway: http://127.0.0.1:${SERVICES[0].port}  (Ctrl-C stops every service)`);
  await new Promise(() => undefined);
}

main().catch((error) => {
  console.error(`demo: ${error.message}`);
  process.exit(1);
});
