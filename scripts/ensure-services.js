#!/usr/bin/env node
'use strict';
/**
 * Makes PostgreSQL and Redis available for the demo and the tests, in this order:
 *   1. the URLs in DATABASE_URL / REDIS_URL (or the local defaults) when they answer;
 *   2. private instances started from the installed binaries under .local/ (git-ignored) on free ports;
 *   3. `docker compose up -d postgres redis` when a Docker engine answers;
 *   4. otherwise stop with the exact install commands.
 * `npm run services` prints the resulting `export ...` lines; other scripts call ensureServices().
 */
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { execFileSync, spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const localDir = path.join(root, '.local');
const stateFile = path.join(localDir, 'services.env');
const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/trading';
const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

function tcpOpen(host, port, timeoutMs = 1500) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function postgresAnswers(url) {
  const { Client } = require('pg');
  const client = new Client({ connectionString: url.replace(/\/[^/?]*(\?.*)?$/, '/postgres'), connectionTimeoutMillis: 3000 });
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

async function redisAnswers(url) {
  const u = new URL(url);
  if (!(await tcpOpen(u.hostname, Number(u.port || 6379)))) return false;
  const Redis = require('ioredis');
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

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function which(name, extraDirs = []) {
  for (const dir of [...(process.env.PATH || '').split(':'), ...extraDirs]) {
    const full = path.join(dir, name);
    if (dir && fs.existsSync(full)) return full;
  }
  return null;
}

function postgresBinDirs() {
  const base = '/usr/lib/postgresql';
  if (!fs.existsSync(base)) return [];
  return fs
    .readdirSync(base)
    .sort((a, b) => Number(b) - Number(a))
    .map((v) => path.join(base, v, 'bin'));
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** PostgreSQL refuses to run as root: run its tools as the postgres user then. */
function runAsPostgres(cmd, args, opts = {}) {
  if (!isRoot) return execFileSync(cmd, args, { stdio: 'pipe', ...opts });
  return execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { stdio: 'pipe', ...opts });
}

async function startPrivatePostgres() {
  const initdb = which('initdb', postgresBinDirs());
  const pgCtl = which('pg_ctl', postgresBinDirs());
  if (!initdb || !pgCtl) return null;
  const dataDir = path.join(localDir, 'postgres');
  fs.mkdirSync(localDir, { recursive: true });
  if (isRoot) fs.chmodSync(localDir, 0o755);
  const port = await freePort();
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    fs.mkdirSync(dataDir, { recursive: true });
    if (isRoot) execFileSync('chown', ['-R', 'postgres:postgres', dataDir]);
    runAsPostgres(initdb, ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8']);
  }
  const logFile = path.join(dataDir, 'server.log');
  runAsPostgres(pgCtl, ['-D', dataDir, '-l', logFile, '-w', '-o', `-p ${port} -c listen_addresses=127.0.0.1 -k ${dataDir}`, 'start']);
  return `postgres://postgres@127.0.0.1:${port}/trading`;
}

async function startPrivateRedis() {
  const redisServer = which('redis-server');
  if (!redisServer) return null;
  const dir = path.join(localDir, 'redis');
  fs.mkdirSync(dir, { recursive: true });
  const port = await freePort();
  execFileSync(redisServer, ['--port', String(port), '--bind', '127.0.0.1', '--daemonize', 'yes', '--dir', dir, '--appendonly', 'yes', '--save', '', '--pidfile', path.join(dir, 'redis.pid'), '--logfile', path.join(dir, 'redis.log')]);
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 50 && !(await redisAnswers(url)); i++) await new Promise((r) => setTimeout(r, 100));
  return url;
}

function dockerEngineAnswers() {
  const result = spawnSync('docker', ['info'], { stdio: 'ignore', timeout: 5000 });
  return result.status === 0;
}

function readState() {
  if (!fs.existsSync(stateFile)) return {};
  return Object.fromEntries(
    fs.readFileSync(stateFile, 'utf8').split('\n').filter(Boolean).map((line) => line.replace(/^export /, '').split('=')).map(([k, ...v]) => [k, v.join('=')]),
  );
}

async function ensureServices({ quiet = false } = {}) {
  const log = quiet ? () => undefined : (msg) => console.error(`services: ${msg}`);
  const saved = readState();
  let databaseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  let redisUrl = process.env.REDIS_URL || DEFAULT_REDIS_URL;
  let dbOk = await postgresAnswers(databaseUrl);
  let redisOk = await redisAnswers(redisUrl);

  if (!dbOk && !process.env.DATABASE_URL && saved.DATABASE_URL && (await postgresAnswers(saved.DATABASE_URL))) [databaseUrl, dbOk] = [saved.DATABASE_URL, true];
  if (!redisOk && !process.env.REDIS_URL && saved.REDIS_URL && (await redisAnswers(saved.REDIS_URL))) [redisUrl, redisOk] = [saved.REDIS_URL, true];

  if (!dbOk && !process.env.DATABASE_URL) {
    const url = await startPrivatePostgres().catch((e) => (log(`private PostgreSQL failed: ${e.message}`), null));
    if (url && (await postgresAnswers(url))) [databaseUrl, dbOk] = [url, true], log(`started a private PostgreSQL at ${url}`);
  }
  if (!redisOk && !process.env.REDIS_URL) {
    const url = await startPrivateRedis().catch((e) => (log(`private Redis failed: ${e.message}`), null));
    if (url && (await redisAnswers(url))) [redisUrl, redisOk] = [url, true], log(`started a private Redis at ${url}`);
  }
  if ((!dbOk || !redisOk) && dockerEngineAnswers()) {
    log('starting postgres and redis with docker compose');
    execFileSync('docker', ['compose', 'up', '-d', 'postgres', 'redis'], { cwd: root, stdio: 'inherit' });
    for (let i = 0; i < 60 && !(dbOk && redisOk); i++) {
      await new Promise((r) => setTimeout(r, 1000));
      dbOk = dbOk || (await postgresAnswers(DEFAULT_DATABASE_URL.replace('postgres@', 'postgres:postgres@')));
      redisOk = redisOk || (await redisAnswers(DEFAULT_REDIS_URL));
    }
    if (dbOk && !process.env.DATABASE_URL) databaseUrl = DEFAULT_DATABASE_URL.replace('postgres@', 'postgres:postgres@');
  }
  if (!dbOk || !redisOk) {
    const missing = [!dbOk && 'PostgreSQL', !redisOk && 'Redis'].filter(Boolean).join(' and ');
    throw new Error(
      `${missing} not reachable (DATABASE_URL=${databaseUrl}, REDIS_URL=${redisUrl}), no binaries to start private ones and no Docker engine.\n` +
        'Install them (Debian/Ubuntu, as root):\n  apt-get update && apt-get install -y postgresql redis-server\n' +
        'or point DATABASE_URL / REDIS_URL at running servers, or start Docker and run: docker compose up -d postgres redis',
    );
  }
  fs.mkdirSync(localDir, { recursive: true });
  fs.writeFileSync(stateFile, `export DATABASE_URL=${databaseUrl}\nexport REDIS_URL=${redisUrl}\n`);
  return { DATABASE_URL: databaseUrl, REDIS_URL: redisUrl };
}

module.exports = { ensureServices, startPrivatePostgres, startPrivateRedis };

if (require.main === module) {
  ensureServices()
    .then((env) => {
      for (const [k, v] of Object.entries(env)) console.log(`export ${k}=${v}`);
    })
    .catch((error) => {
      console.error(error.message);
      process.exit(1);
    });
}
