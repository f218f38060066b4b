import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { RpcClient, RpcRemoteError } from '@trading/streams';
import { createTestDatabase, freePort, repoRoot, spawnNode, SpawnedProcess, TestDatabase, testRedisUrl, uniqueRedisNamespace, waitFor } from '@trading/testing';

/**
 * market-data end to end: the shipped BTC/USDT day replayed through the real service lands in
 * PostgreSQL, the Redis windows and events:market_data, with every aggregated timeframe; a second
 * replay adds nothing; bad rows are refused and counted.
 */
const EXPECTED = { '1m': 1440, '5m': 288, '15m': 96, '1h': 24, '4h': 6, '1d': 1 } as const;
const TOTAL = Object.values(EXPECTED).reduce((a, b) => a + b, 0);

describe('market-data replay ingest', () => {
  let db: TestDatabase;
  let pg: Client;
  const redis = new Redis(testRedisUrl());
  const ns = uniqueRedisNamespace('md');
  let running: SpawnedProcess | undefined;

  async function runFeed(feeds: string, namespace = ns): Promise<Record<string, unknown>> {
    const port = await freePort();
    running = spawnNode('dist/apps/market-data/src/main.js', [], {
      PORT: String(port),
      DATABASE_URL: db.url,
      REDIS_URL: testRedisUrl(),
      REDIS_NAMESPACE: namespace,
      MARKET_FEEDS: feeds,
      LOG_LEVEL: 'error',
    });
    const metrics = await waitFor(
      async () => {
        const res = await fetch(`http://127.0.0.1:${port}/metrics`).catch(() => undefined);
        if (!res?.ok) return undefined;
        const body = (await res.json()) as { ingest?: { feeds: { finished: boolean }[] } };
        return body.ingest?.feeds.length && body.ingest.feeds.every((f) => f.finished) ? (body.ingest as Record<string, unknown>) : undefined;
      },
      { what: 'the replay to finish', timeoutMs: 60_000, intervalMs: 200 },
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${running?.output().slice(-3000)}`);
    });
    running.child.kill('SIGTERM');
    expect((await running.exited).code).toBe(0);
    running = undefined;
    return metrics;
  }

  const countsByTimeframe = async () =>
    Object.fromEntries(
      (await pg.query<{ timeframe: string; n: string }>('SELECT timeframe, count(*) AS n FROM market.ohlcv GROUP BY timeframe')).rows.map((r) => [r.timeframe, Number(r.n)]),
    );

  const streamEvents = async (namespace = ns) => {
    const entries = await redis.xrange(`${namespace}events:market_data`, '-', '+');
    return entries.map(([, fields]) => JSON.parse(fields[1]) as { type: string; payload: { timeframe?: string } });
  };

  beforeAll(async () => {
    execFileSync(process.execPath, [path.join(repoRoot, 'scripts/build.js'), '--quiet']);
    db = await createTestDatabase('md_replay');
    execFileSync(process.execPath, [path.join(repoRoot, 'dist/apps/market-data/src/migrate.js'), 'up'], { env: { ...process.env, DATABASE_URL: db.url } });
    pg = new Client({ connectionString: db.url });
    await pg.connect();
  }, 60_000);

  afterAll(async () => {
    running?.child.kill('SIGKILL');
    await pg?.end();
    const keys = await redis.keys(`${ns}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await db?.drop();
  });

  it('stores, caches and publishes every candle of the shipped day, including aggregated timeframes', async () => {
    const metrics = await runFeed('replay:BTCUSDT_1m_2021-01-03@max');
    expect(metrics).toMatchObject({ accepted: 1440, published: TOTAL, rejected: 0, missingCandles: 0 });
    expect(await countsByTimeframe()).toEqual(EXPECTED);

    const exact = await pg.query("SELECT open, high, low, close, volume, source FROM market.ohlcv WHERE timeframe = '1d'");
    expect(exact.rows[0]).toMatchObject({ open: '32176.45000000', source: 'aggregated' });

    for (const [tf, n] of Object.entries(EXPECTED)) {
      expect(await redis.llen(`${ns}market:ohlcv:binance:BTC/USDT:${tf}`)).toBe(Math.min(n, 1000));
    }
    expect(await redis.hget(`${ns}market:ticker:binance:BTC/USDT`, 'time')).toBe('2021-01-04T00:00:00.000Z');

    const events = await streamEvents();
    const candles = events.filter((e) => e.type === 'market.candle.closed');
    expect(candles).toHaveLength(TOTAL);
    const perTimeframe: Record<string, number> = {};
    for (const c of candles) perTimeframe[c.payload.timeframe!] = (perTimeframe[c.payload.timeframe!] ?? 0) + 1;
    expect(perTimeframe).toEqual(EXPECTED);
    expect(events.filter((e) => e.type === 'market.ticker.updated').length).toBeGreaterThan(0);
  }, 90_000);

  it('adds nothing when the same data is replayed again', async () => {
    const before = (await streamEvents()).length;
    const metrics = await runFeed('replay:BTCUSDT_1m_2021-01-03@max');
    expect(metrics).toMatchObject({ accepted: 1440, published: 0 });
    expect(await countsByTimeframe()).toEqual(EXPECTED);
    expect((await streamEvents()).length).toBe(before);
    expect(await redis.llen(`${ns}market:ohlcv:binance:BTC/USDT:1m`)).toBe(1000);
  }, 90_000);

  it('answers candle queries page by page over RPC (1000 rows per page), and tickers', async () => {
    const port = await freePort();
    running = spawnNode('dist/apps/market-data/src/main.js', [], { PORT: String(port), DATABASE_URL: db.url, REDIS_URL: testRedisUrl(), REDIS_NAMESPACE: ns, MARKET_FEEDS: 'none', LOG_LEVEL: 'error' });
    await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => undefined))?.ok, { what: 'market-data ready' });
    const rpc = new RpcClient({ redisUrl: testRedisUrl(), namespace: ns, defaultTimeoutMs: 5000 });
    try {
      const query = { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1m' as const, from: '2021-01-03T00:00:00Z', to: '2021-01-04T00:00:00Z' };
      const started = process.hrtime.bigint();
      const first = await rpc.send('market.candles.range', { ...query, limit: 1000 });
      const firstPageMs = Number(process.hrtime.bigint() - started) / 1e6;
      expect(first.items).toHaveLength(1000);
      expect(first.items[0]).toEqual({ openTime: '2021-01-03T00:00:00.000Z', open: '32176.45000000', high: '32250.00000000', low: '32165.00000000', close: '32216.22000000', volume: '101.80499200' });
      expect(first.next).toBe('2021-01-03T16:39:00.000Z');
      const second = await rpc.send('market.candles.range', { ...query, limit: 1000, cursor: first.next! });
      expect(second.items).toHaveLength(440);
      expect(second.next).toBeNull();
      expect(second.items[0].openTime).toBe('2021-01-03T16:40:00.000Z');
      console.log(`market.candles.range: first page of 1000 rows in ${firstPageMs.toFixed(1)} ms end to end (RPC + query)`);

      await expect(rpc.send('market.candles.range', { ...query, from: query.to, to: query.from })).rejects.toMatchObject({ status: 400, code: 'INVALID_RANGE' });
      await expect(rpc.send('market.candles.range', { ...query, timeframe: '7m' as never })).rejects.toBeInstanceOf(RpcRemoteError);

      const tickers = await rpc.send('market.tickers.list', { exchange: 'binance' });
      expect(tickers.items).toEqual([expect.objectContaining({ exchange: 'binance', symbol: 'BTC/USDT', time: '2021-01-04T00:00:00.000Z' })]);
      expect((await rpc.send('market.pairs.list', {})).items).toEqual([]);
    } finally {
      await rpc.close();
      running.child.kill('SIGTERM');
      await running.exited;
      running = undefined;
    }
  }, 60_000);

  it('refuses and counts bad rows, storing the good ones', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'md-bad-'));
    const file = path.join(dir, 'bad.csv');
    writeFileSync(
      file,
      [
        'timestamp,open,high,low,close,volume',
        '2022-03-01T00:00:00Z,100,110,90,105,1',
        '2022-03-01T00:01:00Z,105,104,95,100,1', // high below open
        '2022-03-01T00:02:00Z,100,101,99,-100,1', // non-positive close
        '2022-03-01T00:03:30Z,100,101,99,100,1', // off the 1m grid
        '2022-03-01T00:04:00Z,100,101,99,100,-5', // negative volume
        '2022-03-01T00:05:00Z,100,101,99,100,2',
      ].join('\n'),
    );
    const badNs = uniqueRedisNamespace('md-bad');
    const metrics = await runFeed(`replay-file:testex:ETH/USDT:1m:${file}@max`, badNs);
    expect(metrics).toMatchObject({ accepted: 2, rejected: 4 });
    const stored = await pg.query("SELECT count(*)::int AS n FROM market.ohlcv WHERE exchange = 'testex' AND timeframe = '1m'");
    expect(stored.rows[0].n).toBe(2);
    expect(metrics.missingCandles).toBe(4);
    const keys = await redis.keys(`${badNs}*`);
    if (keys.length) await redis.del(...keys);
  }, 90_000);
});
