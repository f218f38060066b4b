import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ohlcvKey, tickerKey } from '@trading/market-cache';
import { RpcClient, RpcRemoteError } from '@trading/streams';
import { testRedisUrl, waitFor } from '@trading/testing';
import { MarketDataHarness, RedisNamespace } from './market-data.harness';

/**
 * market-data end to end: the shipped BTC/USDT day replayed through the real service lands in
 * PostgreSQL, the Redis windows and events:market_data, with every aggregated timeframe; a second
 * replay adds nothing; bad rows are refused and counted.
 */
const EXPECTED = { '1m': 1440, '5m': 288, '15m': 96, '1h': 24, '4h': 6, '1d': 1 } as const;
const TOTAL = Object.values(EXPECTED).reduce((a, b) => a + b, 0);

describe('market-data replay ingest', () => {
  const md = new MarketDataHarness('md-replay');
  const { redis, ns } = md;

  async function runFeed(feeds: string, namespace = ns): Promise<Record<string, unknown>> {
    const running = await md.spawn({ REDIS_NAMESPACE: namespace, MARKET_FEEDS: feeds });
    const metrics = await running.waitFor(
      async () => {
        const body = await running.metrics<{ ingest?: { feeds: { finished: boolean }[] }; outbox?: { leader: boolean; pending: number; published: number } }>();
        // Finished, and every event it queued in market.outbox published by this instance's relay.
        const done = body?.ingest?.feeds.length && body.ingest.feeds.every((f) => f.finished) && body.outbox?.pending === 0;
        return done ? ({ ...body.ingest, outbox: body.outbox } as Record<string, unknown>) : undefined;
      },
      { what: 'the replay to finish and its events to be published', timeoutMs: 60_000, intervalMs: 200 },
    );
    running.child.kill('SIGTERM');
    expect((await running.exited).code).toBe(0);
    return metrics;
  }

  const countsByTimeframe = () => md.db.countsByTimeframe();
  const streamEvents = () => md.space.marketDataEvents<{ type: string; payload: { timeframe?: string } }>();

  beforeAll(() => md.setUp(), 60_000);
  afterAll(() => md.tearDown());

  it('stores, caches and publishes every candle of the shipped day, including aggregated timeframes', async () => {
    const metrics = await runFeed('replay:BTCUSDT_1m_2021-01-03@max');
    expect(metrics).toMatchObject({ accepted: 1440, published: TOTAL, rejected: 0, missingCandles: 0 });
    // This (only) instance's relay published what the replay queued (the events themselves are checked below; its
    // `published` counter may trail the rows it marked by the batch in flight, so it is not compared here).
    expect(metrics.outbox).toMatchObject({ leader: true, pending: 0 });
    expect(await countsByTimeframe()).toEqual(EXPECTED);

    const exact = await md.pg.query("SELECT open, high, low, close, volume, source FROM market.ohlcv WHERE timeframe = '1d'");
    expect(exact.rows[0]).toMatchObject({ open: '32176.45000000', source: 'aggregated' });

    for (const [tf, n] of Object.entries(EXPECTED)) {
      expect(await redis.llen(ohlcvKey(ns, 'binance', 'BTC/USDT', tf))).toBe(Math.min(n, 1000));
    }
    expect(await redis.hget(tickerKey(ns, 'binance', 'BTC/USDT'), 'time')).toBe('2021-01-04T00:00:00.000Z');

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
    expect(await redis.llen(ohlcvKey(ns, 'binance', 'BTC/USDT', '1m'))).toBe(1000);
  }, 90_000);

  it('answers candle queries page by page over RPC (1000 rows per page), and tickers', async () => {
    const running = await md.spawn({ MARKET_FEEDS: 'none' });
    await waitFor(async () => (await fetch(running.url('/health/ready')).catch(() => undefined))?.ok, { what: 'market-data ready' });
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
    const bad = new RedisNamespace('md-bad');
    try {
      const metrics = await runFeed(`replay-file:testex:ETH/USDT:1m:${file}@max`, bad.ns);
      expect(metrics).toMatchObject({ accepted: 2, rejected: 4 });
      const stored = await md.pg.query("SELECT count(*)::int AS n FROM market.ohlcv WHERE exchange = 'testex' AND timeframe = '1m'");
      expect(stored.rows[0].n).toBe(2);
      expect(metrics.missingCandles).toBe(4);
    } finally {
      await bad.close();
    }
  }, 90_000);
});
