import { createEvent, MarketCandleClosed, MarketTickerUpdated, Streams } from '@trading/contracts';
import { datasetPath, readCandleFile } from '@trading/datasets';
import { CachedCandle, CandleWindowCache, TICKER_TTL_SECONDS, TickerCache, tickerKey } from '@trading/market-cache';
import type { Publication, StreamPublisher } from '@trading/streams';
import type Redis from 'ioredis';

const MINUTE = 60_000;
export const BENCH_EXCHANGE = 'binance';
export const PRICE_DATASET = 'BTCUSDT_1m_2021-01-03';

/** One candle of one bench market: market `market`'s `index`-th minute. */
export interface CandleRef {
  readonly market: number;
  readonly index: number;
}

export interface PublishedCandle extends CandleRef {
  readonly eventId: string;
  /** Open time (epoch ms). */
  readonly time: number;
  /** Time of its events:market_data entry (Redis clock, ms). */
  readonly publishedAt: number;
}

/**
 * Plays market-data's part for the bench markets, the way its ingest does with a replay feed: per batch,
 * the closed candles are appended to the Redis candle window (market-data's Lua append, window of
 * CANDLE_WINDOW_SIZE) and each market's ticker at its last close is written to the ticker cache, in one
 * pipeline; then MarketCandleClosed for every candle and MarketTickerUpdated per market go out on
 * events:market_data. (market-data's own PostgreSQL write is not on the strategy's path and is left out.)
 * Market m's candle i opens at t0 + (m + i) minutes, so schedules keyed on candle time are staggered across
 * markets; prices are the real minutes of the shipped BTC/USDT day, each market starting at another minute.
 */
export class MarketDataStandIn {
  private readonly candles: CandleWindowCache;
  private readonly tickers: TickerCache;
  private readonly prices: readonly CachedCandle[];

  constructor(
    private readonly redis: Redis,
    private readonly namespace: string,
    private readonly publisher: StreamPublisher,
    readonly symbols: readonly string[],
    private readonly t0: number,
    windowSize: number,
  ) {
    this.candles = new CandleWindowCache(redis, namespace, windowSize);
    this.tickers = new TickerCache(redis, namespace);
    this.prices = readCandleFile(datasetPath(PRICE_DATASET)).candles.map((c) => ({ time: c.time, ...c.exact }));
  }

  timeOf(ref: CandleRef): number {
    return this.t0 + (ref.market + ref.index) * MINUTE;
  }

  candleOf(ref: CandleRef): CachedCandle {
    const price = this.prices[(ref.market * 97 + ref.index) % this.prices.length];
    return { ...price, time: this.timeOf(ref) };
  }

  /** Fills each market's window with `count` earlier candles (history a running market-data has cached), not published. */
  async prefill(count: number): Promise<void> {
    for (let market = 0; market < this.symbols.length; market++) {
      const pipeline = this.redis.pipeline();
      for (let index = 0; index < count; index++) this.candles.appendTo(pipeline, BENCH_EXCHANGE, this.symbols[market], '1m', this.candleOf({ market, index }));
      this.writeTicker(pipeline, market, this.candleOf({ market, index: count - 1 }));
      await execOrThrow(pipeline);
    }
  }

  /** Caches, then publishes one batch; resolves with each candle's event id and entry time. */
  async publish(batch: readonly CandleRef[]): Promise<PublishedCandle[]> {
    const pipeline = this.redis.pipeline();
    const lastOf = new Map<number, CachedCandle>();
    const candles = batch.map((ref) => {
      const candle = this.candleOf(ref);
      this.candles.appendTo(pipeline, BENCH_EXCHANGE, this.symbols[ref.market], '1m', candle);
      lastOf.set(ref.market, candle);
      return candle;
    });
    for (const [market, candle] of lastOf) this.writeTicker(pipeline, market, candle);
    await execOrThrow(pipeline);

    const publications: Publication[] = candles.map((c, i) => ({
      stream: Streams.MarketData,
      event: createEvent(
        MarketCandleClosed.TYPE,
        { exchange: BENCH_EXCHANGE, symbol: this.symbols[batch[i].market], timeframe: '1m', openTime: iso(c.time), closeTime: iso(c.time + MINUTE), open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume, source: 'replay' },
        { source: 'market-data' },
      ),
    }));
    for (const [market, c] of lastOf) {
      publications.push({
        stream: Streams.MarketData,
        event: createEvent(MarketTickerUpdated.TYPE, { exchange: BENCH_EXCHANGE, symbol: this.symbols[market], last: c.close, bid: c.close, ask: c.close, baseVolume: c.volume, time: iso(c.time + MINUTE) }, { source: 'market-data' }),
      });
    }
    const ids = await this.publisher.publishMany(publications);
    return batch.map((ref, i) => ({ ...ref, eventId: publications[i].event.id, time: candles[i].time, publishedAt: entryTime(ids[i]) }));
  }

  /**
   * A live market-data keeps rewriting a market's ticker; the bench's markets fall silent after a run while
   * the services may still be working through it, so their last tickers are kept from expiring meanwhile.
   */
  async keepTickersAlive(): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (const symbol of this.symbols) pipeline.expire(tickerKey(this.namespace, BENCH_EXCHANGE, symbol), TICKER_TTL_SECONDS);
    await execOrThrow(pipeline);
  }

  private writeTicker(pipeline: ReturnType<Redis['pipeline']>, market: number, last: CachedCandle): void {
    this.tickers.writeTo(pipeline, BENCH_EXCHANGE, this.symbols[market], { last: last.close, bid: last.close, ask: last.close, baseVolume: last.volume, time: iso(last.time + MINUTE) });
  }
}

/** Milliseconds part of a stream entry id (Redis server clock). */
export function entryTime(id: string): number {
  return Number(id.slice(0, id.indexOf('-')));
}

const iso = (ms: number) => new Date(ms).toISOString();

async function execOrThrow(pipeline: ReturnType<Redis['pipeline']>): Promise<void> {
  const failed = (await pipeline.exec())?.find(([error]) => error);
  if (failed) throw failed[0];
}
