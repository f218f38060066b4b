import Decimal from 'decimal.js';
import { tickerKey } from '@trading/market-cache';
import {
  LoopbackBinance,
  LoopbackBinanceStream,
  LoopbackCandle,
  startLoopbackBinance,
  startLoopbackBinanceStream,
} from '@trading/testing';
import { ccxtEnv, MarketDataHarness } from './market-data.harness';

const MIN = 60_000;

interface MarketEvent {
  type: string;
  payload: { timeframe?: string; openTime?: string; open?: string; high?: string; low?: string; close?: string; volume?: string; last?: string; bid?: string; ask?: string; baseVolume?: string; time?: string };
}

/**
 * The `:watch` feed of market-data end to end: a real ccxt Pro binance client in the service talks
 * to a loopback server speaking Binance's market-stream protocol (kline and 24hrTicker events in
 * Binance's shapes) next to the loopback REST server, and what it streams becomes stored candles,
 * the Redis ticker hash, market.tickers and MarketCandleClosed / MarketTickerUpdated events; a burst
 * of tickers is coalesced; a dropped connection reconnects, resumes, and the candles it missed are
 * repaired through REST.
 */
describe('market-data websocket feed (loopback Binance streams)', () => {
  const md = new MarketDataHarness('md-watch');
  let rest: LoopbackBinance;
  let stream: LoopbackBinanceStream;
  // 40 to 45 minutes back, on a 5m boundary: every candle of the test is closed by the wall clock, and
  // minutes 20-24 (20 streamed, 21-24 missed while the socket was down) make one 5m candle.
  const base = Math.floor((Date.now() - 40 * MIN) / (5 * MIN)) * 5 * MIN;
  const candle = (minute: number, close: string): LoopbackCandle => ({ openTime: base + minute * MIN, open: '42000.5', high: '42100', low: '41900.25', close, volume: '1.25' });
  const restCandles = (upTo: number) => Array.from({ length: upTo + 1 }, (_, m) => candle(m, `420${String(m).padStart(2, '0')}.5`));

  // What the relay has published once every committed event went out (rows and caches are written before it).
  const events = async () => {
    await md.db.outboxDrained();
    return md.space.marketDataEvents<MarketEvent>();
  };
  const stored1m = async () =>
    (await md.pg.query<{ t: Date; close: string }>("SELECT open_time AS t, close FROM market.ohlcv WHERE timeframe = '1m' ORDER BY open_time")).rows.map((r) => [(r.t.getTime() - base) / MIN, r.close]);
  const subscribedToBoth = () => ['btcusdt@kline_1m', 'btcusdt@ticker'].every((name) => stream.connections().some((c) => c.streams.includes(name)));
  const exact = (value: string) => new Decimal(value).toFixed(8);

  beforeAll(async () => {
    await md.setUp();
    rest = await startLoopbackBinance({ klines: [{ symbol: 'BTCUSDT', interval: '1m', candles: restCandles(19) }] });
    stream = await startLoopbackBinanceStream();
  }, 60_000);

  afterAll(async () => {
    await md.tearDown();
    await stream?.stop();
    await rest?.stop();
  });

  it('stores streamed candles, publishes coalesced tickers, and resumes after a dropped connection', async () => {
    const service = await md.spawn({
      MARKET_FEEDS: 'ccxt:binance:BTC/USDT:1m:watch',
      ...ccxtEnv({ urls: { api: { ...rest.ccxtOverrides.urls.api, ...stream.ccxtUrls } }, options: rest.ccxtOverrides.options }),
      CCXT_SINCE: new Date(base).toISOString(),
      TICKER_MIN_INTERVAL_MS: '1000',
      LOG_LEVEL: 'warn',
    });
    const wait = <T>(probe: () => Promise<T | undefined | false>, what: string) => service.waitFor(probe, { what, timeoutMs: 30_000, intervalMs: 50 });

    // REST catch-up first, then the websocket subscriptions (one connection each, as ccxt Pro does).
    await wait(async () => (await stored1m()).length === 20 && subscribedToBoth(), 'the REST catch-up and both subscriptions');
    expect(stream.connections().map((c) => c.streams)).toEqual(expect.arrayContaining([['btcusdt@kline_1m'], ['btcusdt@ticker']]));

    // A candle forms over several updates and is stored, with its final values, once the next one starts.
    stream.pushKline('BTCUSDT', '1m', { ...candle(20, '42020.1'), closed: false });
    stream.pushKline('BTCUSDT', '1m', { ...candle(20, '42020.75'), closed: true });
    stream.pushKline('BTCUSDT', '1m', candle(21, '42021.1'));
    await wait(async () => (await stored1m()).length === 21, 'minute 20 from the websocket');
    expect((await stored1m()).at(-1)).toEqual([20, exact('42020.75')]);
    const closed = (await events()).filter((e) => e.type === 'market.candle.closed' && e.payload.timeframe === '1m');
    expect(closed.at(-1)!.payload).toMatchObject({ openTime: new Date(base + 20 * MIN).toISOString(), close: '42020.75' });

    // A burst of 30 tickers: the first at once, then at most one a second, the latest.
    const t0 = Date.now();
    const ticker = (i: number) => ({ last: `43000.${10 + i}`, bid: `42999.${10 + i}`, ask: `43001.${10 + i}`, baseVolume: `1000.${10 + i}`, closeTime: t0 + i });
    for (let i = 1; i <= 30; i++) stream.pushTicker('BTCUSDT', ticker(i));
    const hash = tickerKey(md.ns, 'binance', 'BTC/USDT');
    // The hash is written inside the batch's transaction, before its commit: wait for the committed row too.
    const storedLast = async () => (await md.pg.query("SELECT last FROM market.tickers WHERE exchange = 'binance' AND symbol = 'BTC/USDT'")).rows[0]?.last as string | undefined;
    await wait(async () => (await md.redis.hget(hash, 'last')) === '43000.4' && (await storedLast()) === exact('43000.4'), 'the latest ticker in the Redis hash and its row');
    expect(await md.redis.hgetall(hash)).toMatchObject({ last: '43000.4', bid: '42999.4', ask: '43001.4', baseVolume: '1000.4', time: new Date(t0 + 30).toISOString() });
    const tickerEvents = (await events()).filter((e) => e.type === 'market.ticker.updated');
    expect(tickerEvents.length).toBeGreaterThanOrEqual(1);
    expect(tickerEvents.length).toBeLessThanOrEqual(3);
    expect(tickerEvents.at(-1)!.payload).toEqual({ exchange: 'binance', symbol: 'BTC/USDT', last: '43000.4', bid: '42999.4', ask: '43001.4', baseVolume: '1000.4', time: new Date(t0 + 30).toISOString() });
    const row = await md.pg.query("SELECT last, bid, ask, base_volume FROM market.tickers WHERE exchange = 'binance' AND symbol = 'BTC/USDT'");
    expect(row.rows[0]).toEqual({ last: exact('43000.4'), bid: exact('42999.4'), ask: exact('43001.4'), base_volume: exact('1000.4') });

    // Minute 21 is forming when both connections drop; meanwhile it and three more close on the exchange.
    stream.pushKline('BTCUSDT', '1m', candle(21, '42021.2'));
    await new Promise((r) => setTimeout(r, 200));
    const acceptedBefore = stream.connectionsAccepted;
    stream.dropConnections();
    rest.state.setKlines('BTCUSDT', '1m', restCandles(24));
    await wait(async () => stream.connectionsAccepted >= acceptedBefore + 2 && subscribedToBoth(), 'both connections back and subscribed again');

    stream.pushKline('BTCUSDT', '1m', candle(25, '42025.5'));
    stream.pushKline('BTCUSDT', '1m', candle(26, '42026.5'));
    stream.pushTicker('BTCUSDT', { last: '43100', bid: '43099.5', ask: '43100.5', baseVolume: '2000', closeTime: Date.now() + 1000 });
    await wait(async () => (await stored1m()).length === 26, 'minute 25 from the websocket and the missed minutes from REST');
    // Minute 21 comes from REST with its final close, not from the half-seen websocket updates.
    expect((await stored1m()).slice(20)).toEqual([
      [20, exact('42020.75')],
      [21, exact('42021.5')],
      [22, exact('42022.5')],
      [23, exact('42023.5')],
      [24, exact('42024.5')],
      [25, exact('42025.5')],
    ]);
    // The repaired minutes went in before minute 25 was aggregated: the 5m candle 20-24 is whole, and was
    // published once, with its stored values; 1m candles were published in time order.
    const fiveMinute = await md.pg.query<{ open: string; high: string; low: string; close: string; volume: string }>(
      "SELECT open, high, low, close, volume FROM market.ohlcv WHERE timeframe = '5m' AND open_time = $1",
      [new Date(base + 20 * MIN)],
    );
    const fromMinutes = await md.pg.query(
      `SELECT (array_agg(open ORDER BY open_time))[1] AS open, max(high) AS high, min(low) AS low, (array_agg(close ORDER BY open_time DESC))[1] AS close, sum(volume) AS volume, count(*)::int AS n
         FROM market.ohlcv WHERE timeframe = '1m' AND open_time >= $1 AND open_time < $2`,
      [new Date(base + 20 * MIN), new Date(base + 25 * MIN)],
    );
    expect(fromMinutes.rows[0]).toMatchObject({ n: 5, close: exact('42024.5') });
    const { n: _n, ...aggregate } = fromMinutes.rows[0];
    expect(fiveMinute.rows).toEqual([aggregate]);
    const published5m = (await events()).filter((e) => e.type === 'market.candle.closed' && e.payload.timeframe === '5m' && e.payload.openTime === new Date(base + 20 * MIN).toISOString());
    expect(published5m.map(({ payload: p }) => ({ open: exact(p.open!), high: exact(p.high!), low: exact(p.low!), close: exact(p.close!), volume: exact(p.volume!) }))).toEqual([aggregate]);
    const minuteTimes = (await events()).filter((e) => e.type === 'market.candle.closed' && e.payload.timeframe === '1m').map((e) => Date.parse(e.payload.openTime!));
    expect(minuteTimes).toEqual([...minuteTimes].sort((a, b) => a - b));
    expect(new Set(minuteTimes).size).toBe(minuteTimes.length);

    await wait(async () => (await md.redis.hget(hash, 'last')) === '43100', 'a ticker after the reconnect');
    expect(service.output()).toContain('websocket feed error; retrying');

    service.child.kill('SIGTERM');
    expect((await service.exited).code).toBe(0);
  }, 120_000);
});
