import { Inject, Injectable, Logger } from '@nestjs/common';
import { createEvent, MarketCandleClosed, MarketTickerUpdated, Streams } from '@trading/contracts';
import { timeframeToMs, validateCandle } from '@trading/datasets';
import { CandleWindowCache, TickerCache } from '@trading/market-cache';
import { REDIS_CLIENT, SERVICE_CONFIG } from '@trading/service-runtime';
import { normalizeNamespace, StreamPublisher, type Publication } from '@trading/streams';
import type Redis from 'ioredis';
import { TimeframeAggregator } from '../aggregation/timeframe-aggregator';
import { CandleRepository, CandleRow } from '../candles/candle.repository';
import { CandleSource } from '../candles/ohlcv.entity';
import { MarketDataEnv } from '../config/market-data.env';
import { FeedBatch, FeedCandle } from '../feeds/market-feed';
import { GapDetector, CandleGap } from '../gaps/gap-detector';
import { TickerRepository } from '../tickers/ticker.repository';
import { IngestCounters } from './ingest-counters';

const SOURCE = 'market-data';

export interface IngestResult {
  readonly accepted: number;
  readonly rejected: number;
  /** Base and aggregated candles stored for the first time (and so cached and published). */
  readonly stored: number;
  /** Of those, how many per timeframe. */
  readonly storedByTimeframe: Readonly<Record<string, number>>;
  readonly gaps: readonly CandleGap[];
}

/**
 * The one path every candle takes, from a replay file or a live exchange alike:
 * validate -> aggregate higher timeframes -> store (PostgreSQL, duplicates are no-ops)
 * -> cache (Redis window + ticker) -> publish (events:market_data), only what is new.
 */
@Injectable()
export class IngestService {
  private readonly logger = new Logger(IngestService.name);
  private readonly aggregators = new Map<string, TimeframeAggregator>();
  private readonly gaps = new GapDetector();
  private readonly candleCache: CandleWindowCache;
  private readonly tickerCache: TickerCache;
  readonly counters = new IngestCounters();

  constructor(
    private readonly candles: CandleRepository,
    private readonly tickers: TickerRepository,
    private readonly publisher: StreamPublisher,
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    @Inject(SERVICE_CONFIG) config: MarketDataEnv,
  ) {
    this.candleCache = new CandleWindowCache(redis, normalizeNamespace(config.REDIS_NAMESPACE), config.CANDLE_WINDOW_SIZE);
    this.tickerCache = new TickerCache(redis, normalizeNamespace(config.REDIS_NAMESPACE));
  }

  /** Rows a feed refused before ingest (unparsable file lines), counted with the rest. */
  countRefused(reasons: readonly string[]): void {
    for (const reason of reasons) this.counters.reject(reason);
  }

  /**
   * `publish: false` (history imports and downloads) stores candles without caching or publishing
   * them, so strategies do not act on old data.
   */
  async ingest(batch: FeedBatch, source: 'replay' | 'ccxt', options: { publish?: boolean } = {}): Promise<IngestResult> {
    const publish = options.publish ?? true;
    const accepted: FeedCandle[] = [];
    const gaps: CandleGap[] = [];
    const previous = new Map<string, number>();
    const now = Date.now();
    for (const candle of batch.candles) {
      const key = seriesKey(candle);
      const reason =
        validateCandle(
          { time: candle.time, open: Number(candle.open), high: Number(candle.high), low: Number(candle.low), close: Number(candle.close), volume: Number(candle.volume) },
          { timeframe: candle.timeframe, previousTime: previous.get(key) },
        ) ?? (candle.time + timeframeToMs(candle.timeframe) > now ? 'candle not closed yet (close time in the future)' : null);
      if (reason) {
        this.counters.reject(reason);
        this.logger.warn({ msg: 'candle refused', exchange: candle.exchange, symbol: candle.symbol, timeframe: candle.timeframe, time: new Date(candle.time).toISOString(), reason });
        continue;
      }
      previous.set(key, candle.time);
      const gap = this.gaps.observe(key, candle.timeframe, candle.time);
      if (gap) gaps.push(gap);
      accepted.push(candle);
    }

    const rows: CandleRow[] = accepted.map((c) => toRow(c, source === 'replay' ? 'replay' : 'exchange'));
    const all: FeedCandle[] = [...accepted];
    for (const candle of accepted) {
      for (const agg of (await this.aggregatorFor(candle)).push(candle)) {
        const built: FeedCandle = { exchange: candle.exchange, symbol: candle.symbol, timeframe: agg.timeframe, time: agg.time, open: agg.open, high: agg.high, low: agg.low, close: agg.close, volume: agg.volume };
        all.push(built);
        rows.push(toRow(built, 'aggregated'));
      }
    }

    const fresh = await this.candles.insertNew(rows);
    const freshKeys = new Set(fresh.map((f) => `${f.exchange}|${f.symbol}|${f.timeframe}|${f.openTime.getTime()}`));
    const stored = all.filter((c) => freshKeys.has(`${c.exchange}|${c.symbol}|${c.timeframe}|${c.time}`));
    const storedByTimeframe: Record<string, number> = {};
    for (const c of stored) storedByTimeframe[c.timeframe] = (storedByTimeframe[c.timeframe] ?? 0) + 1;
    if (!publish) {
      this.counters.accept(accepted.length, 0);
      return { accepted: accepted.length, rejected: batch.candles.length - accepted.length, stored: stored.length, storedByTimeframe, gaps };
    }
    const toPublish = stored;

    const pipeline = this.redis.pipeline();
    for (const c of toPublish) this.candleCache.appendTo(pipeline, c.exchange, c.symbol, c.timeframe, c);
    for (const t of batch.tickers) {
      this.tickerCache.writeTo(pipeline, t.exchange, t.symbol, { last: t.last, bid: t.bid, ask: t.ask, baseVolume: t.baseVolume, time: new Date(t.time).toISOString() });
    }
    const results = await pipeline.exec();
    const failed = results?.find(([error]) => error);
    if (failed) throw failed[0];
    const newTickers: FeedBatch['tickers'][number][] = [];
    for (const t of batch.tickers) {
      const changed = await this.tickers.upsert({ exchange: t.exchange, symbol: t.symbol, last: t.last, bid: t.bid, ask: t.ask, baseVolume: t.baseVolume, time: new Date(t.time) });
      if (changed) newTickers.push(t);
    }

    const publications: Publication[] = toPublish.map((c) => ({
      stream: Streams.MarketData,
      event: createEvent(
        MarketCandleClosed.TYPE,
        {
          exchange: c.exchange,
          symbol: c.symbol,
          timeframe: c.timeframe as MarketCandleClosed.Payload['timeframe'],
          openTime: new Date(c.time).toISOString(),
          closeTime: new Date(c.time + timeframeToMs(c.timeframe)).toISOString(),
          open: c.open,
          high: c.high,
          low: c.low,
          close: c.close,
          volume: c.volume,
          source,
        },
        { source: SOURCE },
      ),
    }));
    for (const t of newTickers) {
      publications.push({
        stream: Streams.MarketData,
        event: createEvent(
          MarketTickerUpdated.TYPE,
          { exchange: t.exchange, symbol: t.symbol, last: t.last, bid: t.bid, ask: t.ask, baseVolume: t.baseVolume, time: new Date(t.time).toISOString() },
          { source: SOURCE },
        ),
      });
    }
    if (publications.length) await this.publisher.publishMany(publications);

    this.counters.accept(accepted.length, toPublish.length);
    for (const gap of gaps) this.counters.gap(gap.missing);
    return { accepted: accepted.length, rejected: batch.candles.length - accepted.length, stored: toPublish.length, storedByTimeframe, gaps };
  }

  /**
   * One aggregator per base series. A fresh one (service start) is first primed with the base
   * candles already stored for the current day, so a restart mid-hour still builds whole candles.
   */
  private async aggregatorFor(candle: FeedCandle): Promise<TimeframeAggregator> {
    const key = seriesKey(candle);
    let aggregator = this.aggregators.get(key);
    if (aggregator) return aggregator;
    aggregator = new TimeframeAggregator(candle.timeframe);
    this.aggregators.set(key, aggregator);
    if (aggregator.timeframes.length) {
      const dayStart = Math.floor(candle.time / 86_400_000) * 86_400_000;
      let after: Date | undefined;
      for (;;) {
        const page = await this.candles.findRange({ exchange: candle.exchange, symbol: candle.symbol, timeframe: candle.timeframe, from: new Date(dayStart), to: new Date(candle.time), after, limit: 2000 });
        for (const row of page.items) aggregator.push({ time: row.openTime.getTime(), open: row.open, high: row.high, low: row.low, close: row.close, volume: row.volume });
        if (!page.next) break;
        after = page.next;
      }
    }
    return aggregator;
  }
}

function seriesKey(c: { exchange: string; symbol: string; timeframe: string }): string {
  return `${c.exchange}:${c.symbol}:${c.timeframe}`;
}

function toRow(c: FeedCandle, source: CandleSource): CandleRow {
  return {
    exchange: c.exchange,
    symbol: c.symbol,
    timeframe: c.timeframe,
    openTime: new Date(c.time),
    open: c.open,
    high: c.high,
    low: c.low,
    close: c.close,
    volume: c.volume,
    source,
  };
}
