import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Streams } from '@trading/contracts';
import { timeframeToMs } from '@trading/datasets';
import { CcxtExchangeAdapter, MarketInfo } from '@trading/exchange';
import { MetricsRegistry, REDIS_CLIENT, SERVICE_CONFIG } from '@trading/service-runtime';
import { OutboxRelay, streamKey } from '@trading/streams';
import type Redis from 'ioredis';
import { CandleRepository } from '../candles/candle.repository';
import { TradingPairInput, TradingPairRepository } from '../pairs/trading-pair.repository';
import { MarketDataEnv } from '../config/market-data.env';
import { IngestService } from '../ingest/ingest.service';
import { abortableSleep, backoffMs } from './abortable-sleep';
import { CcxtFeed } from './ccxt.feed';
import { createMarketWatcher } from './ccxt-market-watcher';
import { CcxtWatchFeed } from './ccxt-watch.feed';
import { FeedSpec, parseFeedSpecs } from './feed-spec';
import { FeedSink, MarketFeed } from './market-feed';
import { ReplayFeed } from './replay.feed';
import { waitForConsumerLag } from './consumer-lag';

interface RunningFeed {
  readonly feed: MarketFeed;
  readonly kind: 'replay' | 'ccxt';
  done: Promise<void>;
  finished: boolean;
}

/** Starts the configured feeds when the service is up and stops them (finishing the batch in hand) on shutdown. */
@Injectable()
export class FeedRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(FeedRunner.name);
  private readonly abort = new AbortController();
  private readonly running: RunningFeed[] = [];
  private readonly exchanges: CcxtExchangeAdapter[] = [];
  /** REST access behind websocket feeds, for repairing gaps. */
  private readonly backfillers = new Map<MarketFeed, CcxtFeed>();
  /** Markets (`exchange:symbol`) whose ticker a websocket feed already follows. */
  private readonly tickersFollowed = new Set<string>();

  constructor(
    private readonly ingest: IngestService,
    private readonly candles: CandleRepository,
    private readonly pairs: TradingPairRepository,
    private readonly relay: OutboxRelay,
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    @Inject(SERVICE_CONFIG) private readonly config: MarketDataEnv,
    metrics: MetricsRegistry,
  ) {
    metrics.register('ingest', () => ({ ...this.ingest.counters.snapshot(), feeds: this.running.map((r) => ({ name: r.feed.name, finished: r.finished })) }));
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const spec of parseFeedSpecs(this.config.MARKET_FEEDS)) {
      const feed = await this.build(spec);
      // Stopped while starting (a SIGTERM during a pairs sync): start nothing more.
      if (!feed) return;
      const entry: RunningFeed = { feed, kind: spec.kind, finished: false, done: Promise.resolve() };
      entry.done = feed
        .run((batch) => this.ingestBatch(entry, batch), this.abort.signal)
        .then(
          () => this.logger.log({ msg: 'feed finished', feed: feed.name }),
          (error: unknown) => this.logger.error({ msg: 'feed stopped on an error', feed: feed.name, error: String(error) }),
        )
        .finally(() => (entry.finished = true));
      this.running.push(entry);
      this.logger.log({ msg: 'feed started', feed: feed.name });
    }
  }

  /** Resolves when every replay feed has handed over all its data (used by the demo and tests). */
  async whenIdle(): Promise<void> {
    await Promise.all(this.running.filter((r) => r.kind === 'replay').map((r) => r.done));
  }

  async onApplicationShutdown(): Promise<void> {
    this.abort.abort();
    await Promise.all(this.running.map((r) => r.done));
    await Promise.all(this.exchanges.map((e) => e.close()));
  }

  /**
   * A source that can fetch history (REST) repairs a gap inside the ingest, before the batch is aggregated, so
   * higher timeframes close whole; what it could not fill the ingest records (a warning and a market.data_gap
   * system event).
   */
  private async ingestBatch(entry: RunningFeed, batch: Parameters<IngestService['ingest']>[0]): Promise<void> {
    const source = entry.feed instanceof CcxtFeed ? entry.feed : this.backfillers.get(entry.feed);
    await this.ingest.ingest(batch, entry.kind, { backfill: source ? (gap) => source.backfill(gap.from, gap.to) : undefined, feedName: entry.feed.name });
  }

  /** The feed of `spec`, or null when the service began stopping while it was being built. */
  private async build(spec: FeedSpec): Promise<MarketFeed | null> {
    if (spec.kind === 'replay') {
      const feed = new ReplayFeed({ ...spec, waitForConsumers: () => this.waitForConsumers() });
      for (const row of feed.rejected) this.logger.warn({ msg: 'candle file row refused', file: spec.file, line: row.line, reason: row.reason });
      this.ingest.countRefused(feed.rejected.map((r) => r.reason));
      return feed;
    }
    const overrides = this.config.CCXT_OPTIONS ? (JSON.parse(this.config.CCXT_OPTIONS) as { urls?: Record<string, unknown>; options?: Record<string, unknown> }) : {};
    const exchange = new CcxtExchangeAdapter({ exchangeId: spec.exchange, enableRateLimit: this.config.CCXT_RATE_LIMIT, urls: overrides.urls, options: overrides.options });
    this.exchanges.push(exchange);
    await this.syncPairs(spec.exchange, exchange);
    if (this.abort.signal.aborted) return null;
    const last = await this.candles.lastOpenTime({ exchange: spec.exchange, symbol: spec.symbol, timeframe: spec.timeframe });
    const step = timeframeToMs(spec.timeframe);
    const firstRun = this.config.CCXT_SINCE ? Math.floor(Date.parse(this.config.CCXT_SINCE) / step) * step : Math.floor(Date.now() / step) * step - 1000 * step;
    const since = last ? last.getTime() + step : firstRun;
    this.ingest.expectNext(spec, since);
    const onError = (error: unknown, attempt: number) => this.logger.warn({ msg: 'feed error; retrying', exchange: spec.exchange, symbol: spec.symbol, attempt, error: String(error) });
    const polling = new CcxtFeed(exchange, { exchangeId: spec.exchange, symbol: spec.symbol, timeframe: spec.timeframe, since, onError });
    if (!spec.watch) return polling;
    const watcher = await createMarketWatcher(spec.exchange, overrides);
    if (!watcher) {
      this.logger.warn({ msg: 'no websocket OHLCV for this exchange in ccxt Pro; polling REST instead', exchange: spec.exchange });
      return polling;
    }
    // Catch up through REST first (history since the last stored candle), then follow the websocket;
    // anything missed while a socket reconnects shows up as a gap and is backfilled through REST.
    const catchUp = async (sink: FeedSink, signal: AbortSignal) => {
      for (let attempt = 1; !signal.aborted; attempt++) {
        try {
          const missed = await polling.backfill(since, Date.now());
          if (missed.length) await sink({ candles: missed, tickers: [] });
          return;
        } catch (error) {
          onError(error, attempt);
          await abortableSleep(backoffMs(attempt), signal);
        }
      }
    };
    // Several timeframes of one market share its ticker: only the first feed follows it.
    const market = `${spec.exchange}:${spec.symbol}`;
    const followTicker = !this.tickersFollowed.has(market);
    this.tickersFollowed.add(market);
    const live = new CcxtWatchFeed(watcher, {
      exchangeId: spec.exchange,
      symbol: spec.symbol,
      timeframe: spec.timeframe,
      ticker: followTicker ? { minIntervalMs: this.config.TICKER_MIN_INTERVAL_MS, fetchTicker: (symbol) => exchange.fetchTicker(symbol), pollIntervalMs: this.config.TICKER_POLL_INTERVAL_MS } : undefined,
      onError: (error, attempt, stream) => this.logger.warn({ msg: 'websocket feed error; retrying', exchange: spec.exchange, symbol: spec.symbol, stream, attempt, error: String(error) }),
      onRefused: (reason) => {
        this.ingest.countRefused([reason]);
        this.logger.warn({ msg: 'exchange data refused', exchange: spec.exchange, symbol: spec.symbol, reason });
      },
    });
    if (live.tickerSource === 'rest') {
      this.logger.warn({ msg: 'no websocket ticker for this exchange in ccxt Pro; polling fetchTicker', exchange: spec.exchange, everyMs: this.config.TICKER_POLL_INTERVAL_MS });
    }
    const feed: MarketFeed = { name: live.name, run: async (sink, signal) => (await catchUp(sink, signal), live.run(sink, signal)) };
    this.backfillers.set(feed, polling);
    return feed;
  }

  /**
   * The exchange's markets (precision, limits, fees) into market.trading_pairs, so sizing and the paper exchange use real rules.
   * Runs during bootstrap: its retry wait ends on shutdown, so a shutdown while the exchange is down ends the bootstrap at once.
   */
  private async syncPairs(exchangeId: string, exchange: CcxtExchangeAdapter): Promise<void> {
    for (let attempt = 1; !this.abort.signal.aborted; attempt++) {
      try {
        // ccxt keeps a failed load's rejected promise: a retry must ask for a reload to reach the exchange again.
        const markets = Object.values(await exchange.loadMarkets(attempt > 1));
        await this.pairs.upsertMany(markets.map((m) => toPairInput(exchangeId, m)));
        this.logger.log({ msg: 'trading pairs loaded', exchange: exchangeId, pairs: markets.length });
        return;
      } catch (error) {
        this.logger.warn({ msg: 'loading markets failed; retrying', exchange: exchangeId, attempt, error: String(error) });
        if (this.abort.signal.aborted || attempt >= 5) return;
        await abortableSleep(Math.min(1000 * 2 ** attempt, 15_000), this.abort.signal);
      }
    }
  }

  /** Replay at full speed never runs further ahead of the slowest consumer group than REPLAY_MAX_CONSUMER_LAG entries. */
  private waitForConsumers(): Promise<void> {
    return waitForConsumerLag(this.redis, streamKey(this.config.REDIS_NAMESPACE, Streams.MarketData), this.config.REPLAY_MAX_CONSUMER_LAG, this.abort.signal, () => this.relay.pendingCount());
  }

}

function decimals(step: string | undefined): number | undefined {
  if (!step) return undefined;
  const [, fraction = ''] = step.replace(/0+$/, '').split('.');
  return fraction.length;
}

function toPairInput(exchange: string, m: MarketInfo): TradingPairInput {
  return {
    exchange,
    symbol: m.symbol,
    base: m.base,
    quote: m.quote,
    tickSize: m.priceTick ?? null,
    stepSize: m.amountStep ?? null,
    pricePrecision: decimals(m.priceTick),
    quantityPrecision: decimals(m.amountStep),
    minOrderSize: m.minAmount ?? null,
    maxOrderSize: m.maxAmount ?? null,
    minNotional: m.minNotional ?? null,
    makerFee: m.makerFee,
    takerFee: m.takerFee,
  };
}
