import Decimal from 'decimal.js';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { CcxtExchangeAdapter } from '@trading/exchange';
import { CandleWindowCache, TickerCache } from '@trading/market-cache';
import { OutboxRelay } from '@trading/streams';
import { LoopbackBinance, startLoopbackBinance, TestDatabase, testRedisUrl } from '@trading/testing';
import { ingestService, migratedDataSource, RedisNamespace, startOutboxRelay } from '../../test/market-data.harness';
import { CandleRepository } from '../candles/candle.repository';
import { CcxtFeed } from '../feeds/ccxt.feed';
import { FeedCandle } from '../feeds/market-feed';
import { waitForOutboxDrained } from '../outbox/market-outbox';
import { IngestService } from './ingest.service';

const MIN = 60_000;
// An hour boundary 3 to 4 hours ago: every candle of these tests is long closed, and buckets start on it.
const T0 = Math.floor((Date.now() - 3 * 3_600_000) / 3_600_000) * 3_600_000;

/** Minute m of a market, with values that differ per minute so every aggregate is checkable. */
function minute(m: number, symbol = 'BTC/USDT'): FeedCandle {
  return { exchange: 'binance', symbol, timeframe: '1m', time: T0 + m * MIN, open: `${100 + m}.5`, high: `${110 + m}.25`, low: `${90 + m}.125`, close: `${100 + m}.75`, volume: `1.0${m % 10}` };
}
const minutes = (from: number, to: number, symbol?: string) => Array.from({ length: to - from + 1 }, (_, i) => minute(from + i, symbol));

/** The higher-timeframe candle of these minutes, worked out independently of the code under test. */
function expected(ms: readonly FeedCandle[]) {
  return {
    open: new Decimal(ms[0].open).toFixed(8),
    high: Decimal.max(...ms.map((m) => m.high)).toFixed(8),
    low: Decimal.min(...ms.map((m) => m.low)).toFixed(8),
    close: new Decimal(ms[ms.length - 1].close).toFixed(8),
    volume: ms.reduce((sum, m) => sum.plus(m.volume), new Decimal(0)).toFixed(8),
  };
}
const exact8 = (c: { open: string; high: string; low: string; close: string; volume: string }) => ({
  open: new Decimal(c.open).toFixed(8),
  high: new Decimal(c.high).toFixed(8),
  low: new Decimal(c.low).toFixed(8),
  close: new Decimal(c.close).toFixed(8),
  volume: new Decimal(c.volume).toFixed(8),
});

interface PublishedCandle {
  type: string;
  payload: { symbol: string; timeframe: string; openTime: string; open: string; high: string; low: string; close: string; volume: string; last?: string; time?: string };
}

/**
 * The ingest path on a real PostgreSQL and Redis, with gap repair through ccxt against the loopback Binance:
 * what reaches the aggregated timeframes when minutes arrive late, and what is stored, cached and published.
 */
describe('IngestService: late and repaired candles, aggregated timeframes, tickers', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let rest: LoopbackBinance;
  let exchange: CcxtExchangeAdapter;
  let ingest: IngestService;
  const space = new RedisNamespace('md-ingest');
  const { redis, ns } = space;
  const windows = new CandleWindowCache(redis, ns);
  const tickers = new TickerCache(redis, ns);

  const stored = async (symbol: string, timeframe: string, m: number) =>
    (
      await ds.query(`SELECT open, high, low, close, volume, source FROM market.ohlcv WHERE exchange = 'binance' AND symbol = $1 AND timeframe = $2 AND open_time = $3`, [
        symbol,
        timeframe,
        new Date(T0 + m * MIN),
      ])
    )[0] as { open: string; high: string; low: string; close: string; volume: string; source: string } | undefined;
  let relay: OutboxRelay;
  /** The events on the stream once the relay has published everything queued. */
  const published = async (symbol: string) => {
    expect(await waitForOutboxDrained(relay, 10_000)).toBe(0);
    return (await space.marketDataEvents<PublishedCandle>()).filter((e) => e.payload.symbol === symbol);
  };
  const candleEvents = async (symbol: string, timeframe: string) =>
    (await published(symbol)).filter((e) => e.type === 'market.candle.closed' && e.payload.timeframe === timeframe).map((e) => ({ minute: (Date.parse(e.payload.openTime) - T0) / MIN, ...exact8(e.payload) }));
  const cached = async (symbol: string, timeframe: string) =>
    (await windows.window('binance', symbol, timeframe, 100)).map((c) => ({ minute: (c.time - T0) / MIN, ...exact8(c) }));

  beforeAll(async () => {
    ({ db, ds } = await migratedDataSource('md_ingest', 4));
    relay = startOutboxRelay(ds, ns);
    ingest = ingestService(ds, redis, ns, { MARKET_FEEDS: 'none' });
    const served = (symbol: string, skip: number[] = []) =>
      minutes(0, 59, symbol)
        .filter((_, m) => !skip.includes(m))
        .map((c) => ({ openTime: c.time, open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume }));
    // SOL/USDT: the exchange itself has no minute 3 (no trade in it).
    rest = await startLoopbackBinance({ klines: [{ symbol: 'BTCUSDT', interval: '1m', candles: served('BTC/USDT') }, { symbol: 'SOLUSDT', interval: '1m', candles: served('SOL/USDT', [3]) }] });
    exchange = new CcxtExchangeAdapter({ exchangeId: 'binance', ...rest.ccxtOverrides, enableRateLimit: false });
  }, 60_000);

  afterAll(async () => {
    await relay?.stop();
    await exchange?.close();
    await rest?.stop();
    await ds?.destroy();
    await space.close();
    await db?.drop();
  });

  describe('a gap repaired through REST before anything is aggregated', () => {
    const repair = (symbol = 'BTC/USDT') => {
      const feed = new CcxtFeed(exchange, { exchangeId: 'binance', symbol, timeframe: '1m', since: T0 });
      return (gap: { from: number; to: number }) => feed.backfill(gap.from, gap.to);
    };

    it('builds the 5m candle from all its minutes, publishes every candle once and in time order, and stores the repaired ones as backfill', async () => {
      await ingest.ingest({ candles: minutes(0, 1), tickers: [] }, 'ccxt', { backfill: repair() });
      // The socket dropped during minutes 2-4: the next batch starts at minute 5.
      const result = await ingest.ingest({ candles: minutes(5, 6), tickers: [] }, 'ccxt', { backfill: repair() });
      expect(result.gaps).toEqual([]);

      expect(await candleEvents('BTC/USDT', '5m')).toEqual([{ minute: 0, ...expected(minutes(0, 4)) }]);
      expect((await candleEvents('BTC/USDT', '1m')).map((e) => e.minute)).toEqual([0, 1, 2, 3, 4, 5, 6]);
      expect(await stored('BTC/USDT', '5m', 0)).toMatchObject({ ...expected(minutes(0, 4)), source: 'aggregated' });
      expect((await stored('BTC/USDT', '1m', 3))?.source).toBe('backfill');
      expect((await stored('BTC/USDT', '1m', 5))?.source).toBe('exchange');
      expect(await cached('BTC/USDT', '1m')).toEqual(minutes(0, 6).map((c, m) => ({ minute: m, ...exact8(c) })));
    });

    it('reports what the exchange could not fill, and builds the bucket from what there is', async () => {
      await ingest.ingest({ candles: minutes(0, 1, 'SOL/USDT'), tickers: [] }, 'ccxt', { backfill: repair('SOL/USDT') });
      const result = await ingest.ingest({ candles: minutes(5, 5, 'SOL/USDT'), tickers: [] }, 'ccxt', { backfill: repair('SOL/USDT') });
      expect(result).toMatchObject({ repaired: 2, gaps: [{ seriesKey: 'binance:SOL/USDT:1m', from: T0 + 2 * MIN, to: T0 + 5 * MIN, missing: 1 }] });
      const whatThereIs = [0, 1, 2, 4].map((m) => minute(m, 'SOL/USDT'));
      expect(await candleEvents('SOL/USDT', '5m')).toEqual([{ minute: 0, ...expected(whatThereIs) }]);
      expect((await candleEvents('SOL/USDT', '1m')).map((e) => e.minute)).toEqual([0, 1, 2, 4, 5]);
    });

    it('when the repair fails, reports the whole gap and still takes the candle that revealed it', async () => {
      rest.injectFault({ method: 'GET', path: '/api/v3/klines', times: 1, fault: { kind: 'status', status: 503 } });
      const result = await ingest.ingest({ candles: minutes(9, 9), tickers: [] }, 'ccxt', { backfill: repair() });
      expect(result).toMatchObject({ accepted: 1, repaired: 0, gaps: [{ from: T0 + 7 * MIN, to: T0 + 9 * MIN, missing: 2 }] });
      expect(await stored('BTC/USDT', '1m', 9)).toMatchObject({ close: '109.75000000', source: 'exchange' });
    });
  });

  describe('base candles stored after a later one (a repair that came late)', () => {
    // ETH/USDT: nothing to repair from, so the feed runner's old order (ingest, then the repaired minutes) is replayed by hand.
    const symbol = 'ETH/USDT';

    it('corrects the aggregated candles from the stored minutes, in PostgreSQL and the Redis window, without a second MarketCandleClosed', async () => {
      await ingest.ingest({ candles: [minute(0, symbol), minute(4, symbol), ...minutes(5, 6, symbol)], tickers: [] }, 'ccxt');
      // The 5m candle of minutes 0-4 closed with two of its five minutes, and was published so.
      expect(await candleEvents(symbol, '5m')).toEqual([{ minute: 0, ...expected([minute(0, symbol), minute(4, symbol)]) }]);

      await ingest.ingest({ candles: minutes(1, 3, symbol), tickers: [] }, 'ccxt');

      expect(await stored(symbol, '5m', 0)).toMatchObject({ ...expected(minutes(0, 4, symbol)), source: 'aggregated' });
      expect((await cached(symbol, '5m')).find((c) => c.minute === 0)).toEqual({ minute: 0, ...expected(minutes(0, 4, symbol)) });
      expect(await cached(symbol, '1m')).toEqual(minutes(0, 6, symbol).map((c, m) => ({ minute: m, ...exact8(c) })));
      expect((await candleEvents(symbol, '5m')).map((e) => e.minute)).toEqual([0]);
    });

    it('takes a late minute into the bucket still open, so the candle it closes is whole', async () => {
      // Minutes 7-9 and 11-13, then minute 10 late, then minute 14 closes the 15m bucket 0-14.
      await ingest.ingest({ candles: [...minutes(7, 9, symbol), ...minutes(11, 13, symbol)], tickers: [] }, 'ccxt');
      await ingest.ingest({ candles: [minute(10, symbol)], tickers: [] }, 'ccxt');
      await ingest.ingest({ candles: [minute(14, symbol)], tickers: [] }, 'ccxt');

      expect(await candleEvents(symbol, '15m')).toEqual([{ minute: 0, ...expected(minutes(0, 14, symbol)) }]);
      expect(await stored(symbol, '15m', 0)).toMatchObject(expected(minutes(0, 14, symbol)));
      expect(await stored(symbol, '5m', 10)).toMatchObject(expected(minutes(10, 14, symbol)));
    });

    it('rebuilds from what another process stored: history filled in by an import, then the bucket the feed closes', async () => {
      const avax = (from: number, to: number) => minutes(from, to, 'AVAX/USDT');
      await ingest.ingest({ candles: [...avax(0, 0), ...avax(4, 9)], tickers: [] }, 'ccxt');
      // `tradectl data import` of minutes 1-3 runs in its own process and publishes nothing.
      const importer = ingestService(ds, redis, ns);
      expect(await importer.ingest({ candles: avax(1, 3), tickers: [] }, 'replay', { publish: false })).toMatchObject({ stored: 3, corrected: 1 });
      expect(await stored('AVAX/USDT', '5m', 0)).toMatchObject(expected(avax(0, 4)));
      // The feed never saw minutes 1-3; the 15m candle it closes is still built from all of them.
      await ingest.ingest({ candles: avax(10, 14), tickers: [] }, 'ccxt');
      expect(await candleEvents('AVAX/USDT', '15m')).toEqual([{ minute: 0, ...expected(avax(0, 14)) }]);
      expect((await candleEvents('AVAX/USDT', '5m')).map((e) => e.minute)).toEqual([0, 5, 10]);
    });

    it('never overwrites a higher-timeframe candle another writer stored (an exchange feed of that timeframe)', async () => {
      const own = { exchange: 'binance', symbol: 'BNB/USDT', timeframe: '5m', openTime: new Date(T0), open: '100.5', high: '200', low: '50', close: '104.75', volume: '99', source: 'exchange' as const };
      await new CandleRepository(ds).insertMany([own]);
      const result = await ingest.ingest({ candles: minutes(0, 4, 'BNB/USDT'), tickers: [] }, 'ccxt');
      expect(result.corrected).toBe(0);
      expect(await stored('BNB/USDT', '5m', 0)).toEqual({ open: '100.50000000', high: '200.00000000', low: '50.00000000', close: '104.75000000', volume: '99.00000000', source: 'exchange' });
      expect(await candleEvents('BNB/USDT', '5m')).toEqual([]);
    });
  });

  describe('tickers', () => {
    const symbol = 'LINK/USDT';
    const now = Math.floor(Date.now() / 1000) * 1000;
    const ticker = (time: number, last: string) => ({ exchange: 'binance', symbol, last, bid: last, ask: last, baseVolume: '10', time });
    const tickerEvents = async () => (await published(symbol)).filter((e) => e.type === 'market.ticker.updated').map((e) => e.payload.last);
    const row = async () => (await ds.query(`SELECT last, time FROM market.tickers WHERE exchange = 'binance' AND symbol = $1`, [symbol]))[0] as { last: string; time: Date };

    it('keeps the newer ticker in the Redis hash when an older one arrives late, as the PostgreSQL row does', async () => {
      await ingest.ingest({ candles: [], tickers: [ticker(now - 1000, '15.2')] }, 'ccxt');
      // Another feed of the market (or a slow REST answer) delivers an older ticker afterwards.
      await ingest.ingest({ candles: [], tickers: [ticker(now - 2000, '15.1')] }, 'ccxt');
      expect((await tickers.read('binance', symbol))?.last).toBe('15.2');
      expect(await row()).toEqual({ last: '15.20000000', time: new Date(now - 1000) });
      expect(await tickerEvents()).toEqual(['15.2']);
    });

    it('lets a replay that starts over price the market from its own (older) day at once', async () => {
      const replayTicker = ticker(Date.UTC(2021, 0, 3, 0, 1), '29000.5');
      await ingest.ingest({ candles: [], tickers: [replayTicker], rewind: true }, 'replay');
      const cachedTicker = await tickers.readReceived('binance', symbol);
      expect(cachedTicker?.ticker).toMatchObject({ last: '29000.5', time: '2021-01-03T00:01:00.000Z' });
      expect(cachedTicker?.receivedAt).toBeGreaterThanOrEqual(now - 60_000);
      // The row keeps the newest exchange price: no new row, no event.
      expect((await row()).last).toBe('15.20000000');
      expect(await tickerEvents()).toEqual(['15.2']);
    });
  });

  describe('nothing lost between PostgreSQL and the stream', () => {
    const onStream = async (symbol: string) => (await space.marketDataEvents<PublishedCandle>()).filter((e) => e.payload.symbol === symbol);

    it('stores nothing when the batch cannot be cached (Redis down inside the transaction); the retried batch stores and publishes each candle once', async () => {
      const down = new Redis(testRedisUrl(), { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
      const broken = ingestService(ds, down, ns);
      await expect(broken.ingest({ candles: minutes(0, 4, 'XRP/USDT'), tickers: [] }, 'ccxt')).rejects.toThrow();
      down.disconnect();
      expect(await stored('XRP/USDT', '1m', 0)).toBeUndefined();
      expect(await stored('XRP/USDT', '5m', 0)).toBeUndefined();
      expect(await relay.pendingCount()).toBe(0);

      expect(await ingest.ingest({ candles: minutes(0, 4, 'XRP/USDT'), tickers: [] }, 'ccxt')).toMatchObject({ stored: 6, storedByTimeframe: { '1m': 5, '5m': 1 } });
      expect((await candleEvents('XRP/USDT', '1m')).map((e) => e.minute)).toEqual([0, 1, 2, 3, 4]);
      expect(await candleEvents('XRP/USDT', '5m')).toEqual([{ minute: 0, ...expected(minutes(0, 4)) }]);
      expect((await cached('XRP/USDT', '1m')).map((c) => c.minute)).toEqual([0, 1, 2, 3, 4]);
    });

    it('queues the events with the rows: with no relay running (a crash before publishing) they wait in market.outbox, and the next relay publishes each once', async () => {
      await relay.stop();
      expect(await ingest.ingest({ candles: minutes(0, 1, 'ADA/USDT'), tickers: [] }, 'ccxt')).toMatchObject({ stored: 2 });
      expect(await onStream('ADA/USDT')).toEqual([]);
      expect(await relay.pendingCount()).toBe(2);
      // The candles are cached already: a consumer woken by the event finds them in the window.
      expect((await cached('ADA/USDT', '1m')).map((c) => c.minute)).toEqual([0, 1]);

      relay = startOutboxRelay(ds, ns);
      expect((await candleEvents('ADA/USDT', '1m')).map((e) => e.minute)).toEqual([0, 1]);
      // Delivered again (the feed resumes after the stored candles, or a retry): nothing new, nothing queued.
      expect(await ingest.ingest({ candles: minutes(0, 1, 'ADA/USDT'), tickers: [] }, 'ccxt')).toMatchObject({ stored: 0 });
      expect((await candleEvents('ADA/USDT', '1m')).map((e) => e.minute)).toEqual([0, 1]);
    });
  });

  describe('a local clock behind the exchange', () => {
    // A candle opening `ahead` minutes after the one forming now closes between ahead and ahead + 1 minutes from now.
    const opening = (symbol: string, ahead: number): FeedCandle => ({ ...minute(0, symbol), time: (Math.floor(Date.now() / MIN) + ahead) * MIN });
    const withTolerance = (ms: string) => ingestService(ds, redis, ns, { CLOCK_SKEW_TOLERANCE_MS: ms });

    it('takes a candle closing ahead of the clock by at most CLOCK_SKEW_TOLERANCE_MS, and refuses one closing later', async () => {
      const tolerant = withTolerance('60000');
      const current = opening('DOGE/USDT', 0);
      // stored counts the 1m row plus any aggregated bucket it completes (when run in the last minute of a 5m/15m/... bucket).
      expect(await tolerant.ingest({ candles: [current], tickers: [] }, 'ccxt')).toMatchObject({ accepted: 1, rejected: 0 });
      const rows = await ds.query(`SELECT count(*)::int AS n FROM market.ohlcv WHERE exchange = 'binance' AND symbol = 'DOGE/USDT' AND timeframe = '1m' AND open_time = $1`, [new Date(current.time)]);
      expect(rows[0].n).toBe(1);
      expect(await tolerant.ingest({ candles: [opening('DOGE/USDT', 2)], tickers: [] }, 'ccxt')).toMatchObject({ accepted: 0, rejected: 1, stored: 0 });
      expect(tolerant.counters.snapshot().rejectedByReason).toEqual({ 'candle not closed yet (close time in the future)': 1 });
    });
  });
});
