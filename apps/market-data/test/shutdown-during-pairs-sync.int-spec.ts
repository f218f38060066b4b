import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { loadConfig } from '@trading/service-runtime';
import { LoopbackBinance, startLoopbackBinance, testRedisUrl, waitFor } from '@trading/testing';
import { MarketDataAppModule } from '../src/app.module';
import { MarketDataEnv } from '../src/config/market-data.env';
import { ccxtEnv, MarketDataHarness } from './market-data.harness';

/**
 * market-data loads the exchange's pairs during bootstrap and retries with a growing wait while the
 * exchange is down (the loopback Binance answers exchangeInfo with 503). A shutdown in that wait ends
 * it: the bootstrap stops there (no further attempt, no feed, no query on closed pools) and the
 * process exits 0 within its SHUTDOWN_TIMEOUT_MS (3 s) although the wait lasts 8 s.
 */
describe('market-data stopped while the exchange is down', () => {
  const md = new MarketDataHarness('md-stop');
  let exchange: LoopbackBinance;

  const failMarketLoads = () => exchange.injectFault({ method: 'GET', path: '/api/v3/exchangeInfo', times: 1000, fault: { kind: 'status', status: 503 } });
  const marketLoads = () => exchange.requests.filter((r) => r.path === '/api/v3/exchangeInfo').length;

  beforeEach(() => {
    exchange.clearFaults();
    exchange.requests.length = 0;
  });

  beforeAll(async () => {
    await md.setUp();
    exchange = await startLoopbackBinance();
  }, 60_000);

  afterAll(async () => {
    await md.tearDown();
    await exchange?.stop();
  });

  it('exits 0 on SIGTERM during the pairs-sync retry wait', async () => {
    failMarketLoads();
    const running = await md.spawn({
      MARKET_FEEDS: 'ccxt:binance:BTC/USDT:1m',
      ...ccxtEnv(exchange.ccxtOverrides),
      SHUTDOWN_TIMEOUT_MS: '3000',
      LOG_LEVEL: 'warn',
    });
    // After the third failure the service waits 8 s before trying again.
    await waitFor(async () => marketLoads() >= 3, { what: 'the third failed pairs sync', timeoutMs: 30_000 }).catch((e: Error) => {
      throw new Error(`${e.message}: ${JSON.stringify(exchange.requests.map((r) => r.path))}\n${running.output().slice(-3000)}`);
    });

    running.child.kill('SIGTERM');
    const exit = await running.exited;
    expect(running.output()).not.toContain('shutdown timed out');
    expect(exit).toEqual({ code: 0, signal: null });
    // Stopped in the wait: no fourth attempt, no feed started.
    expect(marketLoads()).toBe(3);
    expect(exchange.requests.filter((r) => r.path === '/api/v3/klines')).toHaveLength(0);
  }, 60_000);

  it('ends the bootstrap at once when the application closes during the retry wait', async () => {
    failMarketLoads();
    const config = loadConfig('market-data', MarketDataEnv, {
      DATABASE_URL: md.db.url,
      REDIS_URL: testRedisUrl(),
      REDIS_NAMESPACE: md.ns,
      MARKET_FEEDS: 'ccxt:binance:BTC/USDT:1m',
      ...ccxtEnv(exchange.ccxtOverrides),
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
