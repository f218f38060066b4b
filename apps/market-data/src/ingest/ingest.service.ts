import { Inject, Injectable, Logger } from '@nestjs/common';
import Decimal from 'decimal.js';
import { AuditRecorded, createEvent, MarketCandleClosed, MarketTickerUpdated, Streams } from '@trading/contracts';
import { timeframeToMs, validateCandle } from '@trading/datasets';
import { CandleWindowCache, TickerCache } from '@trading/market-cache';
import { REDIS_CLIENT, SERVICE_CONFIG } from '@trading/service-runtime';
import { normalizeNamespace, OutboxWriter } from '@trading/streams';
import type Redis from 'ioredis';
import { DataSource, EntityManager } from 'typeorm';
import { BucketRef, TimeframeAggregator } from '../aggregation/timeframe-aggregator';
import { CandleRepository, CandleRow } from '../candles/candle.repository';
import { CandleSource } from '../candles/ohlcv.entity';
import { MarketDataEnv } from '../config/market-data.env';
import { FeedBatch, FeedCandle } from '../feeds/market-feed';
import { GapDetector, CandleGap } from '../gaps/gap-detector';
import { MARKET_OUTBOX_SCHEMA } from '../outbox/market-outbox';
import { TickerRepository } from '../tickers/ticker.repository';
import { closedByClock } from './closed-by-clock';
import { IngestCounters } from './ingest-counters';

const SOURCE = 'market-data';

export interface IngestOptions {
  /**
   * `false` (history imports and downloads) stores candles without caching or publishing them, so strategies do
   * not act on old data.
   */
  readonly publish?: boolean;
  /**
   * Fetches a gap's candles from the source (REST), called as soon as the gap shows, before anything of the batch
   * is aggregated: the repaired candles take their place in the series, so higher timeframes close whole and
   * events stay in time order. Without it (a replay), gaps are only reported.
   */
  readonly backfill?: (gap: CandleGap) => Promise<readonly FeedCandle[]>;
  /** The feed named in the `market.data_gap` audit events of gaps left after repair (default: the source). */
  readonly feedName?: string;
}

export interface IngestResult {
  readonly accepted: number;
  readonly rejected: number;
  /** Base and aggregated candles stored for the first time (and so, when publishing, cached and queued in the outbox). */
  readonly stored: number;
  /** Of those, how many per timeframe. */
  readonly storedByTimeframe: Readonly<Record<string, number>>;
  /** Gaps left after repair; `missing` counts the candles still missing. */
  readonly gaps: readonly CandleGap[];
  /** Candles a backfill filled in (stored with source `backfill`). */
  readonly repaired: number;
  /** Aggregated candles stored before and rebuilt from their base candles (late base candles arrived). */
  readonly corrected: number;
}

/** An aggregated candle built in this batch, with the base series it was built from. */
interface BuiltCandle {
  readonly candle: FeedCandle;
  readonly base: FeedCandle;
  /** Every base candle of its bucket went through the aggregator. */
  readonly complete: boolean;
}

/**
 * The one path every candle takes, from a replay file or a live exchange alike:
 * validate (repairing gaps first when the source can) -> aggregate higher timeframes -> store (PostgreSQL,
 * duplicates are no-ops) -> rebuild the aggregated candles late base candles belong to -> cache (Redis window +
 * ticker) -> queue the events of what is new in market.outbox, in the same transaction as the rows; the outbox
 * relay publishes them to events:market_data (and gaps left after repair to events:audit) after the commit. A crash
 * anywhere loses nothing: before the commit nothing is stored (the feed delivers the candles again), after it the
 * relay publishes what is queued.
 *
 * Aggregated candles: PostgreSQL is the truth. The in-memory aggregator builds them from base candles in time
 * order and decides when a bucket closes. Whatever it may have missed is recomputed from the stored base candles
 * in the same batch (rebuildAggregates, one statement): the buckets of a base candle stored late, and a candle built
 * without all its base candles or whose row was already stored. A bucket closing now is published once,
 * with those values. A bucket published before (a base candle arrived after it closed) is corrected in place:
 * PostgreSQL row and Redis window entry, and no second MarketCandleClosed: consumers decide once per candle time
 * (strategy skips a time its bots decided; a repeat would re-mark risk with an old close), and the corrected
 * window is what their next decisions read.
 */
@Injectable()
export class IngestService {
  private readonly logger = new Logger(IngestService.name);
  private readonly aggregators = new Map<string, TimeframeAggregator>();
  private readonly gaps = new GapDetector();
  private readonly candleCache: CandleWindowCache;
  private readonly tickerCache: TickerCache;
  private readonly clockSkewToleranceMs: number;
  readonly counters = new IngestCounters();

  private readonly outbox = new OutboxWriter({ schema: MARKET_OUTBOX_SCHEMA });

  constructor(
    private readonly dataSource: DataSource,
    private readonly candles: CandleRepository,
    private readonly tickers: TickerRepository,
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    @Inject(SERVICE_CONFIG) config: MarketDataEnv,
  ) {
    this.candleCache = new CandleWindowCache(redis, normalizeNamespace(config.REDIS_NAMESPACE), config.CANDLE_WINDOW_SIZE);
    this.tickerCache = new TickerCache(redis, normalizeNamespace(config.REDIS_NAMESPACE));
    this.clockSkewToleranceMs = config.CLOCK_SKEW_TOLERANCE_MS;
  }

  /** Rows a feed refused before ingest (unparsable file lines), counted with the rest. */
  countRefused(reasons: readonly string[]): void {
    for (const reason of reasons) this.counters.reject(reason);
  }

  /**
   * Where a series should continue: the first candle handed over for it that opens later than `time` reveals the
   * candles in between as a gap (repaired when the source can, else reported). A live feed resuming after its newest
   * stored candle, a download from its start: an exchange that cannot serve that far back (Kraken keeps 720 candles
   * per series) shows as a gap instead of passing unnoticed.
   */
  expectNext(series: { exchange: string; symbol: string; timeframe: string }, time: number): void {
    this.gaps.seed(seriesKey(series), time - timeframeToMs(series.timeframe));
  }

  async ingest(batch: FeedBatch, source: 'replay' | 'ccxt', options: IngestOptions = {}): Promise<IngestResult> {
    const publish = options.publish ?? true;
    const { accepted, repaired, gaps } = await this.accept(batch.candles, options.backfill);

    const rows: CandleRow[] = accepted.map((c) => toRow(c, repaired.has(c) ? 'backfill' : source === 'replay' ? 'replay' : 'exchange'));
    const built: BuiltCandle[] = [];
    const late = new Set<FeedCandle>();
    for (const candle of accepted) {
      const aggregator = await this.aggregatorFor(candle);
      if (candle.time <= aggregator.newest) late.add(candle); // ignored by the aggregator: its buckets are rebuilt below
      for (const agg of aggregator.push(candle)) {
        const aggregated: FeedCandle = { exchange: candle.exchange, symbol: candle.symbol, timeframe: agg.timeframe, time: agg.time, open: agg.open, high: agg.high, low: agg.low, close: agg.close, volume: agg.volume };
        built.push({ candle: aggregated, base: candle, complete: agg.complete });
        rows.push(toRow(aggregated, 'aggregated'));
      }
    }

    const written = rows.length || (publish && batch.tickers.length) ? await this.dataSource.transaction((m) => this.write(m, { batch, source, publish, accepted, built, late, rows, gaps, feedName: options.feedName })) : { stored: [], corrected: [] };
    const { stored, corrected } = written;
    for (const { candle: c, existed } of corrected) {
      this.logger.log({ msg: existed ? 'aggregated candle corrected from late base candles' : 'aggregated candle built from late base candles', exchange: c.exchange, symbol: c.symbol, timeframe: c.timeframe, time: new Date(c.time).toISOString() });
    }
    if (publish) {
      for (const gap of gaps) this.logger.warn({ msg: 'data gap', feed: options.feedName ?? source, series: gap.seriesKey, from: new Date(gap.from).toISOString(), to: new Date(gap.to).toISOString(), missing: gap.missing });
    }
    const storedByTimeframe: Record<string, number> = {};
    for (const c of stored) storedByTimeframe[c.timeframe] = (storedByTimeframe[c.timeframe] ?? 0) + 1;
    for (const gap of gaps) this.counters.gap(gap.missing);
    this.counters.repaired(repaired.size);
    this.counters.corrected(corrected.length);
    this.counters.accept(accepted.length, publish ? stored.length : 0);
    return {
      accepted: accepted.length,
      rejected: batch.candles.length + repaired.size - accepted.length,
      stored: stored.length,
      storedByTimeframe,
      gaps,
      repaired: repaired.size,
      corrected: corrected.length,
    };
  }

  /**
   * One transaction: the new candles, the aggregated ones rebuilt from them, the tickers and (when publishing) their
   * events in the outbox, so the events go out if and only if the rows are there (the relay publishes them after
   * the commit). The Redis window and ticker hash are written before the commit: a consumer woken by an event finds
   * its candle cached. A rollback after that leaves validated candles in the cache, which the retried batch places
   * again (placing is idempotent).
   */
  private async write(
    m: EntityManager,
    w: {
      batch: FeedBatch;
      source: 'replay' | 'ccxt';
      publish: boolean;
      accepted: readonly FeedCandle[];
      built: readonly BuiltCandle[];
      late: ReadonlySet<FeedCandle>;
      rows: readonly CandleRow[];
      gaps: readonly CandleGap[];
      feedName?: string;
    },
  ): Promise<{ stored: FeedCandle[]; corrected: { candle: FeedCandle; existed: boolean }[] }> {
    const fresh = new Set((await this.candles.insertNew(w.rows, m)).map((k) => candleKey(k.exchange, k.symbol, k.timeframe, k.openTime.getTime())));
    const isFresh = (c: FeedCandle) => fresh.has(candleKey(c.exchange, c.symbol, c.timeframe, c.time));
    const freshBase = w.accepted.filter(isFresh);
    const rebuilt = await this.rebuildAggregates(m, freshBase, w.late, w.built, isFresh);
    const stored = [...freshBase, ...w.built.map((b) => b.candle).filter(isFresh).map((c) => rebuilt.get(candleKey(c.exchange, c.symbol, c.timeframe, c.time))?.candle ?? c)];
    const corrected = [...rebuilt.values()].filter((r) => !isFresh(r.candle));
    if (!w.publish) return { stored, corrected };

    const newTickers: FeedBatch['tickers'][number][] = [];
    for (const t of w.batch.tickers) {
      const changed = await this.tickers.upsert({ exchange: t.exchange, symbol: t.symbol, last: t.last, bid: t.bid, ask: t.ask, baseVolume: t.baseVolume, time: new Date(t.time) }, m);
      if (changed) newTickers.push(t);
    }
    await this.cache([...stored, ...corrected.map((r) => r.candle)], w.batch);

    const events: (MarketCandleClosed.Event | MarketTickerUpdated.Event)[] = stored.map((c) => candleClosed(c, w.source));
    for (const t of newTickers) events.push(tickerUpdated(t));
    // Last: the outbox lock is held from here to the commit.
    await this.outbox.add(m, Streams.MarketData, events);
    await this.outbox.add(m, Streams.Audit, w.gaps.map((gap) => dataGapRecorded(gap, w.feedName ?? w.source)));
    return { stored, corrected };
  }

  /** Candles into the Redis windows and tickers into the hash, in one round trip. */
  private async cache(candles: readonly FeedCandle[], batch: FeedBatch): Promise<void> {
    if (!candles.length && !batch.tickers.length) return;
    const pipeline = this.redis.pipeline();
    for (const c of candles) this.candleCache.placeTo(pipeline, c.exchange, c.symbol, c.timeframe, c);
    const receivedAt = Date.now();
    for (const t of batch.tickers) {
      this.tickerCache.writeTo(pipeline, t.exchange, t.symbol, { last: t.last, bid: t.bid, ask: t.ask, baseVolume: t.baseVolume, time: new Date(t.time).toISOString() }, receivedAt, { rewind: batch.rewind });
    }
    const results = await pipeline.exec();
    const failed = results?.find(([error]) => error);
    if (failed) throw failed[0];
  }

  /**
   * Validates the batch's candles in order; when a gap shows and the source can backfill, the gap's candles are
   * fetched and validated in turn, and go before the candle that revealed the gap.
   */
  private async accept(candles: readonly FeedCandle[], backfill: IngestOptions['backfill']): Promise<{ accepted: FeedCandle[]; repaired: Set<FeedCandle>; gaps: CandleGap[] }> {
    const accepted: FeedCandle[] = [];
    const repaired = new Set<FeedCandle>();
    const gaps: CandleGap[] = [];
    const previous = new Map<string, number>();
    const now = Date.now();
    for (const candle of candles) {
      const key = seriesKey(candle);
      if (this.refused(candle, previous.get(key), now)) continue;
      previous.set(key, candle.time);
      const gap = this.gaps.observe(key, candle.timeframe, candle.time);
      if (gap) {
        const filled = backfill ? await this.fillGap(gap, backfill, now) : [];
        for (const c of filled) {
          accepted.push(c);
          repaired.add(c);
        }
        if (filled.length < gap.missing) gaps.push({ ...gap, missing: gap.missing - filled.length });
      }
      accepted.push(candle);
    }
    return { accepted, repaired, gaps };
  }

  private async fillGap(gap: CandleGap, backfill: NonNullable<IngestOptions['backfill']>, now: number): Promise<FeedCandle[]> {
    let fetched: readonly FeedCandle[];
    try {
      fetched = await backfill(gap);
    } catch (error) {
      this.logger.warn({ msg: 'backfill failed', series: gap.seriesKey, from: new Date(gap.from).toISOString(), to: new Date(gap.to).toISOString(), error: String(error) });
      return [];
    }
    const filled: FeedCandle[] = [];
    for (const candle of fetched) {
      const outside = seriesKey(candle) !== gap.seriesKey || candle.time < gap.from || candle.time >= gap.to;
      if (outside) this.refuse(candle, 'backfilled candle outside its gap');
      else if (!this.refused(candle, filled.at(-1)?.time, now)) filled.push(candle);
    }
    return filled;
  }

  /** Validates one candle (counted and logged when refused); true when refused. */
  private refused(candle: FeedCandle, previousTime: number | undefined, now: number): boolean {
    const reason =
      validateCandle(
        { time: candle.time, open: Number(candle.open), high: Number(candle.high), low: Number(candle.low), close: Number(candle.close), volume: Number(candle.volume) },
        { timeframe: candle.timeframe, previousTime },
      ) ?? (closedByClock(candle.time + timeframeToMs(candle.timeframe), now, this.clockSkewToleranceMs) ? null : 'candle not closed yet (close time in the future)');
    if (reason) this.refuse(candle, reason);
    return reason !== null;
  }

  private refuse(candle: FeedCandle, reason: string): void {
    this.counters.reject(reason);
    this.logger.warn({ msg: 'candle refused', exchange: candle.exchange, symbol: candle.symbol, timeframe: candle.timeframe, time: new Date(candle.time).toISOString(), reason });
  }

  /**
   * Recomputes from PostgreSQL, in one statement per series, every aggregated candle that may differ from its
   * stored base candles: the buckets of newly stored late base candles (the aggregator ignored them), candles the
   * aggregator built without every base candle of their bucket (a gap: a late one, or one stored by another
   * process, may be in PostgreSQL) or whose row was already stored (history filled in by an import or a download),
   * and stored rows of buckets still open that new base candles fall into. A candle built from its whole bucket is
   * right as built and not queried: the usual case costs one index probe per open bucket.
   * Returns the rows written (inserted, or changed because they differed), by candle key, as exact decimal strings.
   */
  private async rebuildAggregates(
    m: EntityManager,
    freshBase: readonly FeedCandle[],
    late: ReadonlySet<FeedCandle>,
    built: readonly BuiltCandle[],
    isFresh: (c: FeedCandle) => boolean,
  ): Promise<Map<string, { candle: FeedCandle; existed: boolean }>> {
    const perSeries = new Map<string, { base: FeedCandle; buckets: Map<string, BucketRef & { passed: boolean }> }>();
    const add = (base: FeedCandle, bucket: BucketRef, passed: boolean) => {
      const series = perSeries.get(seriesKey(base)) ?? { base, buckets: new Map() };
      perSeries.set(seriesKey(base), series);
      const id = `${bucket.timeframe}|${bucket.start}`;
      series.buckets.set(id, { ...bucket, passed: passed || (series.buckets.get(id)?.passed ?? false) });
    };
    for (const base of freshBase) {
      const aggregator = this.aggregators.get(seriesKey(base));
      if (!aggregator) continue;
      for (const bucket of aggregator.bucketsOf(base.time)) {
        const passed = aggregator.hasPassed(bucket);
        // A passed bucket of a base candle taken in order was built in this batch: decided below.
        if (late.has(base) || !passed) add(base, bucket, passed);
      }
    }
    for (const { candle, base, complete } of built) {
      if (complete && isFresh(candle)) continue;
      add(base, { timeframe: candle.timeframe, start: candle.time, end: candle.time + timeframeToMs(candle.timeframe) }, true);
    }
    const rebuilt = new Map<string, { candle: FeedCandle; existed: boolean }>();
    for (const { base, buckets } of perSeries.values()) {
      for (const row of await this.candles.reaggregate(base, [...buckets.values()], m)) {
        const time = row.openTime.getTime();
        const candle = { exchange: row.exchange, symbol: row.symbol, timeframe: row.timeframe, time, open: exact(row.open), high: exact(row.high), low: exact(row.low), close: exact(row.close), volume: exact(row.volume) };
        rebuilt.set(candleKey(row.exchange, row.symbol, row.timeframe, time), { candle, existed: row.existed });
      }
    }
    return rebuilt;
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

function candleKey(exchange: string, symbol: string, timeframe: string, time: number): string {
  return `${exchange}|${symbol}|${timeframe}|${time}`;
}

/** A NUMERIC read back from PostgreSQL ("104.75000000") as the shortest exact decimal ("104.75"). */
function exact(numeric: string): string {
  return new Decimal(numeric).toFixed();
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

function candleClosed(c: FeedCandle, source: 'replay' | 'ccxt'): MarketCandleClosed.Event {
  return createEvent(
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
  );
}

function tickerUpdated(t: FeedBatch['tickers'][number]): MarketTickerUpdated.Event {
  return createEvent(
    MarketTickerUpdated.TYPE,
    { exchange: t.exchange, symbol: t.symbol, last: t.last, bid: t.bid, ask: t.ask, baseVolume: t.baseVolume, time: new Date(t.time).toISOString() },
    { source: SOURCE },
  );
}

/** A gap the source could not fill (or a replay's), as a `market.data_gap` system event (analytics: DATA_GAP). */
function dataGapRecorded(gap: CandleGap, feed: string): AuditRecorded.Event {
  const [exchange, symbol, timeframe] = gap.seriesKey.split(/:(?=[^:]+$)|:(?=[^:]+:[^:]+$)/);
  return createEvent(
    AuditRecorded.TYPE,
    {
      actorUserId: null,
      action: 'market.data_gap',
      resourceType: 'candle_series',
      resourceId: gap.seriesKey,
      outcome: 'failure',
      ip: null,
      userAgent: null,
      details: { exchange, symbol, timeframe, from: new Date(gap.from).toISOString(), to: new Date(gap.to).toISOString(), missingCandles: gap.missing, feed },
      recordedAt: new Date().toISOString(),
    },
    { source: SOURCE },
  );
}
