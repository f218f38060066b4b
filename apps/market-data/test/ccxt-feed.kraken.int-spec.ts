import { datasetPath, readCandleFile } from '@trading/datasets';
import { KrakenCandle, LoopbackKraken, startLoopbackKraken, uniqueRedisNamespace, waitFor } from '@trading/testing';
import { ccxtEnv, MarketDataDb, MarketDataHarness, MarketDataProcess, RedisNamespace, spawnDataDownload } from './market-data.harness';

const MINUTE = 60_000;
const DAY_START = Date.UTC(2021, 0, 3);

interface AuditEvent {
  payload: { action: string; resourceId: string; details: Record<string, unknown> };
}

/**
 * The ccxt source of market-data on a second exchange: a loopback server answering Kraken's real
 * REST endpoints (Assets, AssetPairs, OHLC, Ticker; payloads from ccxt's recorded Kraken responses).
 * Kraken differs from Binance where it matters to a feed: OHLC rows are in seconds with a vwap column
 * and the volume in 7th place, `since` is exclusive, and only the newest 720 entries of a series can be
 * had, whatever `since` says.
 */
describe('market-data ccxt feed (loopback Kraken)', () => {
  const md = new MarketDataHarness('md-kraken');
  let exchange: LoopbackKraken;
  const day: KrakenCandle[] = readCandleFile(datasetPath('BTCUSDT_1m_2021-01-03'), { timeframe: '1m' }).candles.map(
    (c) => ({ openTime: c.time, ...c.exact }),
  );
  // Kraken's OHLC reaches back 720 entries: the first half of the day is what a feed started at 00:00 can get.
  const morning = day.slice(0, 720);

  beforeAll(async () => {
    await md.setUp();
    exchange = await startLoopbackKraken({
      candles: [{ pair: 'XBTUSDT', intervalMinutes: 1, candles: morning }],
      prices: { XBTUSDT: morning[morning.length - 1]!.close },
    });
  }, 60_000);

  afterAll(async () => {
    await md.tearDown();
    await exchange?.stop();
  });

  it('loads the Kraken markets, takes the candles from the since cursor and updates the ticker', async () => {
    const service = await md.spawn({
      MARKET_FEEDS: 'ccxt:kraken:BTC/USDT:1m',
      ...ccxtEnv(exchange.ccxtOverrides),
      CCXT_SINCE: '2021-01-03T00:00:00Z',
    });
    const count = (tf: string) => md.db.candleCount(tf);
    await md.db.waitForCandles({ '1m': 720, '4h': 3 }, service, { what: 'the morning through ccxt kraken' });
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

    const pair = await md.pg.query(
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
    const ticker = await md.pg.query("SELECT last FROM market.tickers WHERE exchange = 'kraken' AND symbol = 'BTC/USDT'");
    expect(Number(ticker.rows[0].last)).toBe(Number(morning[morning.length - 1]!.close));
    const stored = await md.pg.query(
      "SELECT open_time, close, volume FROM market.ohlcv WHERE exchange = 'kraken' AND timeframe = '1m' ORDER BY open_time DESC LIMIT 1",
    );
    expect(stored.rows[0].open_time.getTime()).toBe(DAY_START + 719 * MINUTE);
    expect([stored.rows[0].close, stored.rows[0].volume].map(Number)).toEqual([
      Number(morning[719]!.close),
      Number(morning[719]!.volume),
    ]);

    service.child.kill('SIGTERM');
    expect((await service.exited).code).toBe(0);
  }, 90_000);

  it('tradectl data download through Kraken gets only the newest 720 candles of a whole day (the OHLC limit), and reports the 720 it could not get', async () => {
    exchange.state.setCandles('XBTUSDT', 1, day);
    const other = await MarketDataDb.create('md_kraken_download');
    try {
      const download = spawnDataDownload(
        { exchange: 'kraken', symbol: 'BTC/USDT', timeframe: '1m', since: '2021-01-03T00:00:00Z', until: '2021-01-04T00:00:00Z' },
        { DATABASE_URL: other.url, REDIS_NAMESPACE: uniqueRedisNamespace('md-kraken-download'), ...ccxtEnv(exchange.ccxtOverrides) },
      );
      expect((await download.exited).code).toBe(0);
      // 1 440 minutes asked for; Kraken serves 12:00-23:59 only, and the report says what is missing
      expect(download.report()).toMatchObject({
        fetched: 720,
        stored: 720,
        missing: 720,
        gaps: [{ from: '2021-01-03T00:00:00.000Z', to: '2021-01-03T12:00:00.000Z', missing: 720 }],
      });
      const first = await other.pg.query("SELECT min(open_time) AS t FROM market.ohlcv WHERE timeframe = '1m'");
      expect(first.rows[0].t.getTime()).toBe(DAY_START + 720 * MINUTE);
    } finally {
      await other.drop();
    }
  }, 90_000);

  it('a feed asked to start further back than Kraken serves records the candles it cannot get as a data gap, and takes the rest at once', async () => {
    exchange.state.setCandles('XBTUSDT', 1, day);
    const other = await MarketDataDb.create('md_kraken_gap');
    const gap = new RedisNamespace('md-kraken-gap');
    let feed: MarketDataProcess | undefined;
    try {
      const ohlcBefore = exchange.requests.filter((r) => r.path === '/0/public/OHLC').length;
      feed = await md.spawn({
        DATABASE_URL: other.url,
        REDIS_NAMESPACE: gap.ns,
        MARKET_FEEDS: 'ccxt:kraken:BTC/USDT:1m',
        ...ccxtEnv(exchange.ccxtOverrides),
        CCXT_SINCE: '2021-01-03T00:00:00Z',
      });
      const gapEvents = async () => (await gap.auditEvents<AuditEvent>()).filter((e) => e.payload.action === 'market.data_gap');
      await feed.waitFor(async () => (await gapEvents()).length === 1, { what: 'the data gap event', timeoutMs: 60_000, intervalMs: 250 });
      expect((await gapEvents())[0]!.payload).toMatchObject({
        resourceId: 'kraken:BTC/USDT:1m',
        details: { from: '2021-01-03T00:00:00.000Z', to: '2021-01-03T12:00:00.000Z', missingCandles: 720, feed: 'ccxt:kraken:BTC/USDT:1m' },
      });
      const stored = await other.pg.query("SELECT count(*)::int AS n, min(open_time) AS first FROM market.ohlcv WHERE timeframe = '1m'");
      expect(stored.rows[0]).toEqual({ n: 720, first: new Date(DAY_START + 720 * MINUTE) });
      // One page of 720, then one asking after it that finds nothing newer: no waiting for a poll interval in between,
      // and no page asked for again (the backfill attempt of the gap is one more call).
      await waitFor(async () => exchange.requests.filter((r) => r.path === '/0/public/OHLC').length - ohlcBefore >= 3, { what: 'the OHLC calls', timeoutMs: 8_000, intervalMs: 50 });
      feed.child.kill('SIGTERM');
      expect((await feed.exited).code).toBe(0);
      feed = undefined;
    } finally {
      feed?.child.kill('SIGKILL');
      await other.drop();
      await gap.close();
    }
  }, 90_000);
});
