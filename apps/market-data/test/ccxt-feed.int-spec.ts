import { Streams } from '@trading/contracts';
import { datasetPath, readCandleFile } from '@trading/datasets';
import { streamKey } from '@trading/streams';
import { LoopbackBinance, startLoopbackBinance, uniqueRedisNamespace } from '@trading/testing';
import { ccxtEnv, MarketDataDb, MarketDataHarness, spawnDataDownload } from './market-data.harness';

/**
 * The ccxt source of market-data against a loopback server that answers Binance's real REST
 * endpoints (recorded responses): loadMarkets fills market.trading_pairs, fetchOHLCV with a since
 * cursor pages through the history, fetchTicker updates the ticker — through the same ingest path
 * as a replay.
 */
describe('market-data ccxt feed (loopback Binance)', () => {
  const md = new MarketDataHarness('md-ccxt');
  let exchange: LoopbackBinance;
  const day = readCandleFile(datasetPath('BTCUSDT_1m_2021-01-03'), { timeframe: '1m' }).candles;

  beforeAll(async () => {
    await md.setUp();
    exchange = await startLoopbackBinance({
      klines: [{ symbol: 'BTCUSDT', interval: '1m', candles: day.map((c) => ({ openTime: c.time, ...c.exact })) }],
      prices: { BTCUSDT: day[day.length - 1].exact.close },
    });
  }, 60_000);

  afterAll(async () => {
    await md.tearDown();
    await exchange?.stop();
  });

  it('loads the markets, pages the candles from the since cursor and updates the ticker', async () => {
    const service = await md.spawn({ MARKET_FEEDS: 'ccxt:binance:BTC/USDT:1m', ...ccxtEnv(exchange.ccxtOverrides), CCXT_SINCE: '2021-01-03T00:00:00Z' });
    const count = (tf: string) => md.db.candleCount(tf);
    await md.db.waitForCandles({ '1m': 1440, '1d': 1 }, service, { what: 'the whole day through ccxt' });
    expect({ '5m': await count('5m'), '1h': await count('1h'), '4h': await count('4h') }).toEqual({ '5m': 288, '1h': 24, '4h': 6 });

    const exchangeInfoCalls = exchange.requests.filter((r) => r.path === '/api/v3/exchangeInfo');
    expect(exchangeInfoCalls).toHaveLength(1);
    const klineCalls = exchange.requests.filter((r) => r.path === '/api/v3/klines');
    expect(klineCalls[0].params).toMatchObject({ symbol: 'BTCUSDT', interval: '1m', startTime: String(Date.UTC(2021, 0, 3)) });
    expect(klineCalls[1].params.startTime).toBe(String(Date.UTC(2021, 0, 3) + 1000 * 60_000));

    const pair = await md.pg.query("SELECT base, quote, tick_size, step_size, min_notional, maker_fee, taker_fee FROM market.trading_pairs WHERE exchange = 'binance' AND symbol = 'BTC/USDT'");
    expect(pair.rows[0]).toMatchObject({ base: 'BTC', quote: 'USDT' });
    expect(Number(pair.rows[0].tick_size)).toBeGreaterThan(0);
    const ticker = await md.pg.query("SELECT last FROM market.tickers WHERE exchange = 'binance' AND symbol = 'BTC/USDT'");
    expect(Number(ticker.rows[0].last)).toBeGreaterThan(0);
    const stored = await md.pg.query("SELECT source, close FROM market.ohlcv WHERE timeframe = '1m' ORDER BY open_time DESC LIMIT 1");
    expect(stored.rows[0]).toEqual({ source: 'exchange', close: day[day.length - 1].exact.close });

    service.child.kill('SIGTERM');
    expect((await service.exited).code).toBe(0);
  }, 90_000);

  it('tradectl data download pages the history through ccxt and stores it without publishing', async () => {
    const other = await MarketDataDb.create('md_download');
    try {
      const downloadNs = uniqueRedisNamespace('md-download');
      const download = spawnDataDownload(
        { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1m', since: '2021-01-03T00:00:00Z', until: '2021-01-04T00:00:00Z' },
        { DATABASE_URL: other.url, REDIS_NAMESPACE: downloadNs, ...ccxtEnv(exchange.ccxtOverrides) },
      );
      expect((await download.exited).code).toBe(0);
      expect(download.report()).toMatchObject({ fetched: 1440, stored: 1440, aggregated: { '5m': 288, '15m': 96, '1h': 24, '4h': 6, '1d': 1 } });
      expect(await md.redis.exists(streamKey(downloadNs, Streams.MarketData))).toBe(0);
    } finally {
      await other.drop();
    }
  }, 90_000);
});
