import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { loadConfig } from '@trading/service-runtime';
import Redis from 'ioredis';
import {
  createTestDatabase,
  freePort,
  LoopbackBinance,
  repoRoot,
  spawnNode,
  SpawnedProcess,
  startLoopbackBinance,
  TestDatabase,
  testRedisUrl,
  uniqueRedisNamespace,
  waitFor,
} from '@trading/testing';
import { MarketDataAppModule } from '../src/app.module';
import { MarketDataEnv } from '../src/config/market-data.env';

/**
 * market-data loads the exchange's pairs during bootstrap and retries with a growing wait while the
 * exchange is down (the loopback Binance answers exchangeInfo with 503). A shutdown in that wait ends
 * it: the bootstrap stops there (no further attempt, no feed, no query on closed pools) and the
 * process exits 0 within its SHUTDOWN_TIMEOUT_MS (3 s) although the wait lasts 8 s.
 */
describe('market-data stopped while the exchange is down', () => {
  let db: TestDatabase;
  let service: SpawnedProcess | undefined;
  let exchange: LoopbackBinance;
  const ns = uniqueRedisNamespace('md-stop');

  const failMarketLoads = () => exchange.injectFault({ method: 'GET', path: '/api/v3/exchangeInfo', times: 1000, fault: { kind: 'status', status: 503 } });
  const marketLoads = () => exchange.requests.filter((r) => r.path === '/api/v3/exchangeInfo').length;

  beforeEach(() => {
    exchange.clearFaults();
    exchange.requests.length = 0;
  });

  beforeAll(async () => {
    execFileSync(process.execPath, [path.join(repoRoot, 'scripts/build.js'), '--quiet']);
    db = await createTestDatabase('md_stop');
    execFileSync(process.execPath, [path.join(repoRoot, 'dist/apps/market-data/src/migrate.js'), 'up'], { env: { ...process.env, DATABASE_URL: db.url } });
    exchange = await startLoopbackBinance();
  }, 60_000);

  afterAll(async () => {
    service?.child.kill('SIGKILL');
    await exchange?.stop();
    const redis = new Redis(testRedisUrl());
    const keys = await redis.keys(`${ns}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await db?.drop();
  });

  it('exits 0 on SIGTERM during the pairs-sync retry wait', async () => {
    failMarketLoads();
    service = spawnNode('dist/apps/market-data/src/main.js', [], {
      PORT: String(await freePort()),
      DATABASE_URL: db.url,
      REDIS_URL: testRedisUrl(),
      REDIS_NAMESPACE: ns,
      MARKET_FEEDS: 'ccxt:binance:BTC/USDT:1m',
      CCXT_OPTIONS: JSON.stringify(exchange.ccxtOverrides),
      CCXT_RATE_LIMIT: 'false',
      SHUTDOWN_TIMEOUT_MS: '3000',
      LOG_LEVEL: 'warn',
    });
    const running = service;
    // After the third failure the service waits 8 s before trying again.
    await waitFor(async () => marketLoads() >= 3, { what: 'the third failed pairs sync', timeoutMs: 30_000 }).catch((e: Error) => {
      throw new Error(`${e.message}: ${JSON.stringify(exchange.requests.map((r) => r.path))}\n${running.output().slice(-3000)}`);
    });

    running.child.kill('SIGTERM');
    const exit = await running.exited;
    service = undefined;
    expect(running.output()).not.toContain('shutdown timed out');
    expect(exit).toEqual({ code: 0, signal: null });
    // Stopped in the wait: no fourth attempt, no feed started.
    expect(marketLoads()).toBe(3);
    expect(exchange.requests.filter((r) => r.path === '/api/v3/klines')).toHaveLength(0);
  }, 60_000);

  it('ends the bootstrap at once when the application closes during the retry wait', async () => {
    failMarketLoads();
    const config = loadConfig('market-data', MarketDataEnv, {
      DATABASE_URL: db.url,
      REDIS_URL: testRedisUrl(),
      REDIS_NAMESPACE: ns,
      MARKET_FEEDS: 'ccxt:binance:BTC/USDT:1m',
      CCXT_OPTIONS: JSON.stringify(exchange.ccxtOverrides),
      CCXT_RATE_LIMIT: 'false',
      LOG_LEVEL: 'error',
    });
    const app = await NestFactory.create(MarketDataAppModule.forRoot(config), new FastifyAdapter(), { logger: false, abortOnError: false });
    const booting = app.init();
    await waitFor(async () => marketLoads() >= 2, { what: 'the second failed pairs sync', timeoutMs: 30_000 });

    let booted = false;
    void booting.then(() => (booted = true));
    await app.close();
    // Ended by the time close() returns: before, the bootstrap slept out its 4 s wait and asked the exchange once more.
    await new Promise((r) => setImmediate(r));
    expect(booted).toBe(true);
    await expect(booting).resolves.toBe(app);
    expect(marketLoads()).toBe(2);
    expect(exchange.requests.filter((r) => r.path === '/api/v3/klines')).toHaveLength(0);
  }, 60_000);
});
