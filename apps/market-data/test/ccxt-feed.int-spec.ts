import { execFileSync } from 'node:child_process';
import path from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { datasetPath, readCandleFile } from '@trading/datasets';
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

/**
 * The ccxt source of market-data against a loopback server that answers Binance's real REST
 * endpoints (recorded responses): loadMarkets fills market.trading_pairs, fetchOHLCV with a since
 * cursor pages through the history, fetchTicker updates the ticker — through the same ingest path
 * as a replay.
 */
describe('market-data ccxt feed (loopback Binance)', () => {
  let db: TestDatabase;
  let pg: Client;
  let exchange: LoopbackBinance;
  let service: SpawnedProcess | undefined;
  const redis = new Redis(testRedisUrl());
  const ns = uniqueRedisNamespace('md-ccxt');
  const day = readCandleFile(datasetPath('BTCUSDT_1m_2021-01-03'), { timeframe: '1m' }).candles;

  beforeAll(async () => {
    execFileSync(process.execPath, [path.join(repoRoot, 'scripts/build.js'), '--quiet']);
    db = await createTestDatabase('md_ccxt');
    execFileSync(process.execPath, [path.join(repoRoot, 'dist/apps/market-data/src/migrate.js'), 'up'], { env: { ...process.env, DATABASE_URL: db.url } });
    pg = new Client({ connectionString: db.url });
    await pg.connect();
    exchange = await startLoopbackBinance({
      klines: [{ symbol: 'BTCUSDT', interval: '1m', candles: day.map((c) => ({ openTime: c.time, ...c.exact })) }],
      prices: { BTCUSDT: day[day.length - 1].exact.close },
    });
  }, 60_000);

  afterAll(async () => {
    service?.child.kill('SIGKILL');
    await exchange?.stop();
    await pg?.end();
    const keys = await redis.keys(`${ns}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await db?.drop();
  });

  it('loads the markets, pages the candles from the since cursor and updates the ticker', async () => {
    const port = await freePort();
    service = spawnNode('dist/apps/market-data/src/main.js', [], {
      PORT: String(port),
      DATABASE_URL: db.url,
      REDIS_URL: testRedisUrl(),
      REDIS_NAMESPACE: ns,
      MARKET_FEEDS: 'ccxt:binance:BTC/USDT:1m',
      CCXT_OPTIONS: JSON.stringify(exchange.ccxtOverrides),
      CCXT_RATE_LIMIT: 'false',
      CCXT_SINCE: '2021-01-03T00:00:00Z',
      LOG_LEVEL: 'error',
    });
    const count = async (tf: string) => (await pg.query('SELECT count(*)::int AS n FROM market.ohlcv WHERE timeframe = $1', [tf])).rows[0].n as number;
    await waitFor(async () => (await count('1m')) === 1440 && (await count('1d')) === 1, { what: 'the whole day through ccxt', timeoutMs: 60_000, intervalMs: 250 }).catch((e: Error) => {
      throw new Error(`${e.message}\n${service?.output().slice(-3000)}`);
    });
    expect({ '5m': await count('5m'), '1h': await count('1h'), '4h': await count('4h') }).toEqual({ '5m': 288, '1h': 24, '4h': 6 });

    const exchangeInfoCalls = exchange.requests.filter((r) => r.path === '/api/v3/exchangeInfo');
    expect(exchangeInfoCalls).toHaveLength(1);
    const klineCalls = exchange.requests.filter((r) => r.path === '/api/v3/klines');
    expect(klineCalls[0].params).toMatchObject({ symbol: 'BTCUSDT', interval: '1m', startTime: String(Date.UTC(2021, 0, 3)) });
    expect(klineCalls[1].params.startTime).toBe(String(Date.UTC(2021, 0, 3) + 1000 * 60_000));

    const pair = await pg.query("SELECT base, quote, tick_size, step_size, min_notional, maker_fee, taker_fee FROM market.trading_pairs WHERE exchange = 'binance' AND symbol = 'BTC/USDT'");
    expect(pair.rows[0]).toMatchObject({ base: 'BTC', quote: 'USDT' });
    expect(Number(pair.rows[0].tick_size)).toBeGreaterThan(0);
    const ticker = await pg.query("SELECT last FROM market.tickers WHERE exchange = 'binance' AND symbol = 'BTC/USDT'");
    expect(Number(ticker.rows[0].last)).toBeGreaterThan(0);
    const stored = await pg.query("SELECT source, close FROM market.ohlcv WHERE timeframe = '1m' ORDER BY open_time DESC LIMIT 1");
    expect(stored.rows[0]).toEqual({ source: 'exchange', close: day[day.length - 1].exact.close });

    service.child.kill('SIGTERM');
    expect((await service.exited).code).toBe(0);
    service = undefined;
  }, 90_000);

  it('tradectl data download pages the history through ccxt and stores it without publishing', async () => {
    const other = await createTestDatabase('md_download');
    try {
      execFileSync(process.execPath, [path.join(repoRoot, 'dist/apps/market-data/src/migrate.js'), 'up'], { env: { ...process.env, DATABASE_URL: other.url } });
      const downloadNs = uniqueRedisNamespace('md-download');
      // Not execFileSync: the loopback exchange answers from this very process.
      const download = spawnNode(
        'dist/apps/cli/src/main.js',
        ['data', 'download', '--exchange', 'binance', '--symbol', 'BTC/USDT', '--timeframe', '1m', '--since', '2021-01-03T00:00:00Z', '--until', '2021-01-04T00:00:00Z', '--json'],
        { DATABASE_URL: other.url, REDIS_URL: testRedisUrl(), REDIS_NAMESPACE: downloadNs, CCXT_OPTIONS: JSON.stringify(exchange.ccxtOverrides), CCXT_RATE_LIMIT: 'false', LOG_LEVEL: 'error' },
      );
      expect((await download.exited).code).toBe(0);
      const out = download.output().slice(download.output().indexOf('{'));
      expect(JSON.parse(out)).toMatchObject({ fetched: 1440, stored: 1440, aggregated: { '5m': 288, '15m': 96, '1h': 24, '4h': 6, '1d': 1 } });
      expect(await redis.exists(`${downloadNs}events:market_data`)).toBe(0);
    } finally {
      await other.drop();
    }
  }, 90_000);
});
