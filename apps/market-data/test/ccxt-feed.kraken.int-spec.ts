import { execFileSync } from 'node:child_process';
import path from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { Streams } from '@trading/contracts';
import { datasetPath, readCandleFile } from '@trading/datasets';
import { streamKey } from '@trading/streams';
import {
  createTestDatabase,
  freePort,
  KrakenCandle,
  LoopbackKraken,
  repoRoot,
  spawnNode,
  SpawnedProcess,
  startLoopbackKraken,
  TestDatabase,
  testRedisUrl,
  uniqueRedisNamespace,
  waitFor,
} from '@trading/testing';

const MINUTE = 60_000;
const DAY_START = Date.UTC(2021, 0, 3);

/**
 * The ccxt source of market-data on a second exchange: a loopback server answering Kraken's real
 * REST endpoints (Assets, AssetPairs, OHLC, Ticker; payloads from ccxt's recorded Kraken responses).
 * Kraken differs from Binance where it matters to a feed: OHLC rows are in seconds with a vwap column
 * and the volume in 7th place, `since` is exclusive, and only the newest 720 entries of a series can be
 * had, whatever `since` says.
 */
describe('market-data ccxt feed (loopback Kraken)', () => {
  let db: TestDatabase;
  let pg: Client;
  let exchange: LoopbackKraken;
  let service: SpawnedProcess | undefined;
  const redis = new Redis(testRedisUrl());
  const ns = uniqueRedisNamespace('md-kraken');
  const day: KrakenCandle[] = readCandleFile(datasetPath('BTCUSDT_1m_2021-01-03'), { timeframe: '1m' }).candles.map(
    (c) => ({ openTime: c.time, ...c.exact }),
  );
  // Kraken's OHLC reaches back 720 entries: the first half of the day is what a feed started at 00:00 can get.
  const morning = day.slice(0, 720);

  beforeAll(async () => {
    execFileSync(process.execPath, [path.join(repoRoot, 'scripts/build.js'), '--quiet']);
    db = await createTestDatabase('md_kraken');
    execFileSync(process.execPath, [path.join(repoRoot, 'dist/apps/market-data/src/migrate.js'), 'up'], {
      env: { ...process.env, DATABASE_URL: db.url },
    });
    pg = new Client({ connectionString: db.url });
    await pg.connect();
    exchange = await startLoopbackKraken({
      candles: [{ pair: 'XBTUSDT', intervalMinutes: 1, candles: morning }],
      prices: { XBTUSDT: morning[morning.length - 1]!.close },
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

  it('loads the Kraken markets, takes the candles from the since cursor and updates the ticker', async () => {
    const port = await freePort();
    service = spawnNode('dist/apps/market-data/src/main.js', [], {
      PORT: String(port),
      DATABASE_URL: db.url,
      REDIS_URL: testRedisUrl(),
      REDIS_NAMESPACE: ns,
      MARKET_FEEDS: 'ccxt:kraken:BTC/USDT:1m',
      CCXT_OPTIONS: JSON.stringify(exchange.ccxtOverrides),
      CCXT_RATE_LIMIT: 'false',
      CCXT_SINCE: '2021-01-03T00:00:00Z',
      LOG_LEVEL: 'error',
    });
    const count = async (tf: string) =>
      (await pg.query('SELECT count(*)::int AS n FROM market.ohlcv WHERE timeframe = $1', [tf])).rows[0].n as number;
    await waitFor(async () => (await count('1m')) === 720 && (await count('4h')) === 3, {
      what: 'the morning through ccxt kraken',
      timeoutMs: 60_000,
      intervalMs: 250,
    }).catch((e: Error) => {
      throw new Error(`${e.message}\n${service?.output().slice(-3000)}`);
    });
    expect({ '5m': await count('5m'), '1h': await count('1h'), '4h': await count('4h') }).toEqual({
      '5m': 144,
      '1h': 12,
      '4h': 3,
    });

    expect(exchange.requests.filter((r) => r.path === '/0/public/AssetPairs')).toHaveLength(1);
    expect(exchange.requests.filter((r) => r.path === '/0/public/Assets')).toHaveLength(1);
    const ohlcCalls = exchange.requests.filter((r) => r.path === '/0/public/OHLC');
    // ccxt asks from one interval before the cursor, in seconds: Kraken answers the candles after it
    expect(ohlcCalls[0]!.params).toEqual({ pair: 'XBTUSDT', interval: '1', since: String(DAY_START / 1000 - 60) });
    expect(exchange.requests.some((r) => r.path === '/0/public/Ticker')).toBe(true);

    const pair = await pg.query(
      "SELECT base, quote, tick_size, step_size, min_notional, maker_fee, taker_fee FROM market.trading_pairs WHERE exchange = 'kraken' AND symbol = 'BTC/USDT'",
    );
    expect(pair.rows[0]).toMatchObject({ base: 'BTC', quote: 'USDT' });
    expect(
      [
        pair.rows[0].tick_size,
        pair.rows[0].step_size,
        pair.rows[0].min_notional,
        pair.rows[0].maker_fee,
        pair.rows[0].taker_fee,
      ].map(Number),
    ).toEqual([0.1, 0.00000001, 0.5, 0.0016, 0.0026]);
    const ticker = await pg.query("SELECT last FROM market.tickers WHERE exchange = 'kraken' AND symbol = 'BTC/USDT'");
    expect(Number(ticker.rows[0].last)).toBe(Number(morning[morning.length - 1]!.close));
    const stored = await pg.query(
      "SELECT open_time, close, volume FROM market.ohlcv WHERE exchange = 'kraken' AND timeframe = '1m' ORDER BY open_time DESC LIMIT 1",
    );
    expect(stored.rows[0].open_time.getTime()).toBe(DAY_START + 719 * MINUTE);
    expect([stored.rows[0].close, stored.rows[0].volume].map(Number)).toEqual([
      Number(morning[719]!.close),
      Number(morning[719]!.volume),
    ]);

    service.child.kill('SIGTERM');
    expect((await service.exited).code).toBe(0);
    service = undefined;
  }, 90_000);

  it('tradectl data download through Kraken gets only the newest 720 candles of a whole day (the OHLC limit), and reports the 720 it could not get', async () => {
    exchange.state.setCandles('XBTUSDT', 1, day);
    const other = await createTestDatabase('md_kraken_download');
    try {
      execFileSync(process.execPath, [path.join(repoRoot, 'dist/apps/market-data/src/migrate.js'), 'up'], {
        env: { ...process.env, DATABASE_URL: other.url },
      });
      // Not execFileSync: the loopback exchange answers from this very process.
      const download = spawnNode(
        'dist/apps/cli/src/main.js',
        [
          'data',
          'download',
          '--exchange',
          'kraken',
          '--symbol',
          'BTC/USDT',
          '--timeframe',
          '1m',
          '--since',
          '2021-01-03T00:00:00Z',
          '--until',
          '2021-01-04T00:00:00Z',
          '--json',
        ],
        {
          DATABASE_URL: other.url,
          REDIS_URL: testRedisUrl(),
          REDIS_NAMESPACE: uniqueRedisNamespace('md-kraken-download'),
          CCXT_OPTIONS: JSON.stringify(exchange.ccxtOverrides),
          CCXT_RATE_LIMIT: 'false',
          LOG_LEVEL: 'error',
        },
      );
      expect((await download.exited).code).toBe(0);
      const out = download.output().slice(download.output().indexOf('{'));
      // 1 440 minutes asked for; Kraken serves 12:00-23:59 only, and the report says what is missing
      expect(JSON.parse(out)).toMatchObject({
        fetched: 720,
        stored: 720,
        missing: 720,
        gaps: [{ from: '2021-01-03T00:00:00.000Z', to: '2021-01-03T12:00:00.000Z', missing: 720 }],
      });
      const client = new Client({ connectionString: other.url });
      await client.connect();
      try {
        const first = await client.query("SELECT min(open_time) AS t FROM market.ohlcv WHERE timeframe = '1m'");
        expect(first.rows[0].t.getTime()).toBe(DAY_START + 720 * MINUTE);
      } finally {
        await client.end();
      }
    } finally {
      await other.drop();
    }
  }, 90_000);

  it('a feed asked to start further back than Kraken serves records the candles it cannot get as a data gap, and takes the rest at once', async () => {
    exchange.state.setCandles('XBTUSDT', 1, day);
    const other = await createTestDatabase('md_kraken_gap');
    const gapNs = uniqueRedisNamespace('md-kraken-gap');
    let feed: SpawnedProcess | undefined;
    const client = new Client({ connectionString: other.url });
    try {
      execFileSync(process.execPath, [path.join(repoRoot, 'dist/apps/market-data/src/migrate.js'), 'up'], {
        env: { ...process.env, DATABASE_URL: other.url },
      });
      await client.connect();
      const ohlcBefore = exchange.requests.filter((r) => r.path === '/0/public/OHLC').length;
      feed = spawnNode('dist/apps/market-data/src/main.js', [], {
        PORT: String(await freePort()),
        DATABASE_URL: other.url,
        REDIS_URL: testRedisUrl(),
        REDIS_NAMESPACE: gapNs,
        MARKET_FEEDS: 'ccxt:kraken:BTC/USDT:1m',
        CCXT_OPTIONS: JSON.stringify(exchange.ccxtOverrides),
        CCXT_RATE_LIMIT: 'false',
        CCXT_SINCE: '2021-01-03T00:00:00Z',
        LOG_LEVEL: 'error',
      });
      const gapEvents = async () =>
        (await redis.xrange(streamKey(gapNs, Streams.Audit), '-', '+'))
          .map(([, fields]) => JSON.parse(fields[1]!) as { payload: { action: string; resourceId: string; details: Record<string, unknown> } })
          .filter((e) => e.payload.action === 'market.data_gap');
      await waitFor(async () => (await gapEvents()).length === 1, { what: 'the data gap event', timeoutMs: 60_000, intervalMs: 250 }).catch((e: Error) => {
        throw new Error(`${e.message}\n${feed?.output().slice(-3000)}`);
      });
      expect((await gapEvents())[0]!.payload).toMatchObject({
        resourceId: 'kraken:BTC/USDT:1m',
        details: { from: '2021-01-03T00:00:00.000Z', to: '2021-01-03T12:00:00.000Z', missingCandles: 720, feed: 'ccxt:kraken:BTC/USDT:1m' },
      });
      const stored = await client.query("SELECT count(*)::int AS n, min(open_time) AS first FROM market.ohlcv WHERE timeframe = '1m'");
      expect(stored.rows[0]).toEqual({ n: 720, first: new Date(DAY_START + 720 * MINUTE) });
      // One page of 720, then one asking after it that finds nothing newer: no waiting for a poll interval in between,
      // and no page asked for again (the backfill attempt of the gap is one more call).
      await waitFor(async () => exchange.requests.filter((r) => r.path === '/0/public/OHLC').length - ohlcBefore >= 3, { what: 'the OHLC calls', timeoutMs: 5_000, intervalMs: 50 });
      feed.child.kill('SIGTERM');
      expect((await feed.exited).code).toBe(0);
      feed = undefined;
    } finally {
      feed?.child.kill('SIGKILL');
      await client.end();
      await other.drop();
      const keys = await redis.keys(`${gapNs}*`);
      if (keys.length) await redis.del(...keys);
    }
  }, 90_000);
});
