#!/usr/bin/env node
'use strict';
/**
 * `npm run demo [-- --once]`: the whole platform trading on paper, end to end.
 *  1. makes PostgreSQL and Redis available and resets the demo's own database (`trading_demo`) and
 *     Redis namespace (`demo:`), so every run starts from the same state;
 *  2. applies every migration and starts the seven services (logs in .local/logs/), waits until
 *     each is ready and prints their health;
 *  3. creates a demo admin user (tradectl user create), logs in through the gateway and creates three
 *     paper bots on the shipped real BTC/USDT day of 1-minute candles;
 *  4. replays that day through market-data at full speed (tradectl data replay), waits until every
 *     consumer group has caught up, and prints a summary per bot read back through the gateway
 *     (analytics: trades, win rate, PnL, max drawdown; trading-engine: final equity).
 * With --once it then stops every service cleanly and exits 0; otherwise they keep running (the
 * gateway at http://127.0.0.1:3000, OpenAPI at /docs) until Ctrl-C.
 */
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');
const { ensureServices } = require('./ensure-services');

const root = path.resolve(__dirname, '..');
const once = process.argv.includes('--once');
const NAMESPACE = 'demo:';
const DATASET = 'BTCUSDT_1m_2021-01-03';
const DEMO_EMAIL = 'demo@example.com';
const DEMO_PASSWORD = 'Paper-Trading-2026';
const SERVICES = [
  { name: 'api-gateway', port: 3000 },
  { name: 'auth', port: 3001 },
  { name: 'market-data', port: 3002 },
  { name: 'strategy', port: 3003 },
  { name: 'trading-engine', port: 3004 },
  { name: 'risk', port: 3005 },
  { name: 'analytics', port: 3006 },
];
const BOTS = [
  { name: 'sma-cross BTC 1m', strategy: 'sma_cross', strategyParams: { fast: 10, slow: 30, allowShort: false } },
  { name: 'ema-rsi BTC 1m', strategy: 'ema_rsi', strategyParams: { ema_fast: 9, ema_slow: 21, rsi_period: 14, rsi_oversold: 35, rsi_overbought: 65 } },
  { name: 'sma-cross long/short BTC 1m', strategy: 'sma_cross', strategyParams: { fast: 15, slow: 45, allowShort: true }, marketType: 'futures' },
];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const step = (msg) => console.log(`\n== ${msg}`);

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

function table(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join('  ');
  console.log(`${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const row of rows) console.log(line(row));
}

async function resetDemoState(serverUrl, redisUrl) {
  const { Client } = require('pg');
  const admin = new Client({ connectionString: serverUrl.replace(/\/[^/?]*(\?.*)?$/, '/postgres') });
  await admin.connect();
  await admin.query('DROP DATABASE IF EXISTS trading_demo WITH (FORCE)');
  await admin.query('CREATE DATABASE trading_demo');
  await admin.end();
  const Redis = require('ioredis');
  const redis = new Redis(redisUrl);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${NAMESPACE}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== '0');
  redis.disconnect();
  const u = new URL(serverUrl);
  u.pathname = '/trading_demo';
  return u.toString();
}

/** Every consumer group of every stream has read everything and acked it, twice in a row. */
async function waitForQuiet(redisUrl, timeoutMs) {
  const Redis = require('ioredis');
  const redis = new Redis(redisUrl);
  const streams = ['market_data', 'strategy_signals', 'orders', 'trades', 'risk', 'audit'].map((s) => `${NAMESPACE}events:${s}`);
  const deadline = Date.now() + timeoutMs;
  let quietRounds = 0;
  try {
    while (Date.now() < deadline) {
      let busy = 0;
      for (const stream of streams) {
        const groups = await redis.xinfo('GROUPS', stream).catch(() => []);
        for (const g of groups) {
          const field = (name) => g[g.indexOf(name) + 1];
          busy += Number(field('pending') || 0) + Number(field('lag') || 0);
        }
      }
      quietRounds = busy === 0 ? quietRounds + 1 : 0;
      if (quietRounds >= 4) return true;
      await sleep(500);
    }
    return false;
  } finally {
    redis.disconnect();
  }
}

async function main() {
  const services = await ensureServices();
  step('PostgreSQL and Redis');
  console.log(`PostgreSQL ${services.DATABASE_URL.replace(/:[^:@/]*@/, ':***@')}\nRedis      ${services.REDIS_URL}`);
  const databaseUrl = await resetDemoState(services.DATABASE_URL, services.REDIS_URL);
  const env = { ...process.env, DATABASE_URL: databaseUrl, REDIS_URL: services.REDIS_URL, REDIS_NAMESPACE: NAMESPACE, MARKET_FEEDS: 'none', TZ: 'UTC', LOG_LEVEL: process.env.LOG_LEVEL || 'info' };

  step('migrations (database trading_demo)');
  const migrate = spawnSync(process.execPath, [path.join(root, 'scripts/migrate.js'), 'up'], { cwd: root, env, stdio: 'inherit' });
  if (migrate.status !== 0) throw new Error('migrations failed');

  const logDir = path.join(root, '.local', 'logs');
  fs.mkdirSync(logDir, { recursive: true });
  const children = [];
  for (const service of SERVICES) {
    service.port = await choosePort(service.port);
    const log = fs.openSync(path.join(logDir, `${service.name}.log`), 'w');
    const child = spawn(process.execPath, [path.join(root, 'dist/apps', service.name, 'src/main.js')], { cwd: root, env: { ...env, PORT: String(service.port) }, stdio: ['ignore', log, log] });
    child.on('exit', (code, signal) => (service.exited = { code, signal }));
    children.push({ service, child });
  }

  let stopping = false;
  const stopAll = async () => {
    if (stopping) return;
    stopping = true;
    for (const { child } of children) if (child.exitCode === null) child.kill('SIGTERM');
    const deadline = Date.now() + 20_000;
    while (children.some(({ child }) => child.exitCode === null && child.signalCode === null) && Date.now() < deadline) await sleep(100);
    for (const { child } of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.on('SIGINT', () => stopAll().then(() => process.exit(0)));
  process.on('SIGTERM', () => stopAll().then(() => process.exit(0)));

  try {
    step('services');
    const health = new Map();
    const readyBy = Date.now() + 90_000;
    while (Date.now() < readyBy) {
      for (const { service } of children) {
        if (health.get(service.name)?.status === 200) continue;
        health.set(service.name, await probe(`http://127.0.0.1:${service.port}/health/ready`));
      }
      if (health.size === SERVICES.length && [...health.values()].every((h) => h.status === 200)) break;
      if (children.some(({ service }) => service.exited)) break;
      await sleep(300);
    }
    const rows = SERVICES.map((s) => {
      const h = health.get(s.name) ?? { status: 0, body: {} };
      const deps = Object.entries(h.body.details ?? {}).map(([k, v]) => `${k}:${v.status}`).join(' ') || (h.body.error ?? '');
      return [s.name, s.port, h.status === 200 ? 'ready' : s.exited ? `exited (${s.exited.code ?? s.exited.signal})` : `not ready (${h.status || 'no answer'})`, deps];
    });
    table(['service', 'port', 'state', 'dependencies'], rows);
    console.log(`logs: ${path.relative(process.cwd(), logDir)}/<service>.log`);
    if (!rows.every((r) => r[2] === 'ready')) throw new Error('not every service became ready (see the logs)');

    const gateway = `http://127.0.0.1:${SERVICES[0].port}/api/v1`;
    const http = async (method, route, { token, body } = {}) => {
      const res = await fetch(`${gateway}${route}`, {
        method,
        headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(15_000),
      });
      const json = await res.json().catch(() => ({}));
      if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    };

    step('demo user and paper bots');
    const created = spawnSync(process.execPath, [path.join(root, 'dist/apps/cli/src/main.js'), 'user', 'create', '--email', DEMO_EMAIL, '--password', DEMO_PASSWORD, '--admin'], { cwd: root, env, encoding: 'utf8' });
    if (created.status !== 0) throw new Error(`creating the demo user failed: ${created.stderr || created.stdout}`);
    const login = await http('POST', '/auth/login', { body: { email: DEMO_EMAIL, password: DEMO_PASSWORD } });
    const token = login.accessToken;
    console.log(`${DEMO_EMAIL} (admin) logged in through the gateway`);
    const catalog = await http('GET', '/strategies', { token });
    const bots = [];
    for (const spec of BOTS) {
      const strategy = catalog.items.find((s) => s.name === spec.strategy);
      if (!strategy) throw new Error(`strategy ${spec.strategy} is not in the catalog`);
      const bot = await http('POST', '/bots', {
        token,
        body: { strategyId: strategy.id, name: spec.name, exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1m', initialCapital: '10000', mode: 'paper', strategyParams: spec.strategyParams, ...(spec.marketType ? { marketType: spec.marketType } : {}) },
      });
      await http('POST', `/bots/${bot.id}/start`, { token });
      bots.push({ ...spec, id: bot.id });
      console.log(`bot "${spec.name}" (${spec.strategy} ${JSON.stringify(spec.strategyParams)}${spec.marketType ? `, ${spec.marketType}` : ''}) running`);
    }

    step(`replaying ${DATASET} (real Binance BTC/USDT 1m) through market-data`);
    const replay = spawnSync(process.execPath, [path.join(root, 'dist/apps/market-data/src/task.js'), 'replay', DATASET, '--speed', 'max', '--json'], { cwd: root, env, encoding: 'utf8' });
    if (replay.status !== 0) throw new Error(`replay failed: ${replay.stderr}`);
    const replayed = JSON.parse(replay.stdout);
    console.log(`${replayed.accepted} candles accepted, ${replayed.published} candles published (1m and aggregated timeframes)`);
    const quiet = await waitForQuiet(services.REDIS_URL, 180_000);
    if (!quiet) console.log('warning: consumers still busy after 180 s; the summary may be partial');

    step('summary per bot (read back through the gateway)');
    const summary = [];
    for (const bot of bots) {
      const perf = await http('GET', `/analytics/performance?botId=${bot.id}`, { token });
      const overall = perf.overall ?? {};
      const balances = await http('GET', `/balances?botId=${bot.id}`, { token }).catch(() => ({ items: [] }));
      const positions = await http('GET', `/positions?botId=${bot.id}&status=open`, { token }).catch(() => ({ items: [] }));
      const equity = await http('GET', `/analytics/bots/${bot.id}/equity`, { token }).catch(() => ({ points: [] }));
      const lastEquity = equity.points?.length ? equity.points[equity.points.length - 1].equity : null;
      bot.trades = Number(overall.totalTrades ?? 0);
      summary.push([
        bot.name,
        bot.trades,
        overall.winRate != null ? `${overall.winRate}%` : '-',
        overall.totalPnl ?? '0',
        overall.maxDrawdown != null ? `${overall.maxDrawdown}%` : '-',
        lastEquity ?? (balances.items?.find((b) => b.currency === 'USDT')?.total ?? '-'),
        (positions.items ?? []).length,
      ]);
    }
    table(['bot', 'trades', 'win rate', 'PnL (USDT)', 'max drawdown', 'final equity', 'open positions'], summary);
    const trading = bots.filter((b) => b.trades > 0).length;
    if (trading < 2) throw new Error(`only ${trading} bot(s) traded; expected at least two (see the logs)`);
  } catch (error) {
    await stopAll();
    throw error;
  }

  if (once) {
    await stopAll();
    const unclean = children.filter(({ child }) => child.exitCode !== 0);
    if (unclean.length) throw new Error(`services did not stop cleanly: ${unclean.map((c) => c.service.name).join(', ')}`);
    console.log('\nall services stopped cleanly');
    return;
  }
  console.log(`\ngateway: http://127.0.0.1:${SERVICES[0].port}/api/v1 (OpenAPI: /docs), user ${DEMO_EMAIL} / ${DEMO_PASSWORD}; Ctrl-C stops every service`);
  await new Promise(() => undefined);
}

main().catch((error) => {
  console.error(`demo: ${error.message}`);
  process.exit(1);
});
