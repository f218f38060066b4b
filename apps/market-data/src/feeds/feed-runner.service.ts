import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Streams } from '@trading/contracts';
import { timeframeToMs } from '@trading/datasets';
import { CcxtExchangeAdapter, MarketInfo } from '@trading/exchange';
import { instanceName, MetricsRegistry, REDIS_CLIENT, SERVICE_CONFIG } from '@trading/service-runtime';
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
import { FeedLease } from './feed-lease';
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

/** One entry of MARKET_FEEDS on this instance: its lease (none when FEED_LEASE_TTL_MS is 0) and its current run. */
interface FeedSlot {
  readonly spec: FeedSpec;
  /** The lease's name: the feed as MARKET_FEEDS names it, the same on every instance. */
  readonly name: string;
  /** The first `:watch` feed of a market follows its ticker (the others of the market would repeat it). */
  readonly followTicker: boolean;
  readonly lease?: FeedLease;
  /** starting: first try to take the lease; released: given back (shutdown, or a feed that could not be built). */
  state: 'starting' | 'leased' | 'standby' | 'released' | 'unleased';
  since: Date;
  run?: RunningFeed;
  loop: Promise<void>;
}

/** Closes what one run of a feed opened (exchange clients), once the run has ended. */
type Closers = Array<() => Promise<unknown>>;

/**
 * Starts the configured feeds when the service is up and stops them (finishing the batch in hand) on shutdown.
 *
 * With FEED_LEASE_TTL_MS > 0 each feed runs under a lease in Redis (see FeedLease), so several instances with the
 * same MARKET_FEEDS run each feed once: the holder builds and runs it, the others stand by, retry every ttl/3 and
 * take over when the holder releases the lease (shutdown) or stops renewing it (crash). A holder that loses its
 * lease stops its run and stands by. Feeds resume by construction: a ccxt feed after the newest stored candle, a
 * replay from its start (storing and publishing nothing twice).
 */
@Injectable()
export class FeedRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(FeedRunner.name);
  private readonly abort = new AbortController();
  private readonly slots: FeedSlot[] = [];
  /** The feeds this instance runs now (a lost lease removes its run). */
  private readonly running: RunningFeed[] = [];
  /** REST access behind websocket feeds, for repairing gaps. */
  private readonly backfillers = new Map<MarketFeed, CcxtFeed>();

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
    metrics.register('feedLeases', () => ({
      ttlMs: this.config.FEED_LEASE_TTL_MS,
      instance: instanceName(this.config),
      feeds: this.slots.map((s) => ({
        name: s.name,
        lease: s.state,
        since: s.since.toISOString(),
        holder: s.lease ? s.lease.holder : instanceName(this.config),
        running: s.run !== undefined && !s.run.finished,
      })),
    }));
  }

  async onApplicationBootstrap(): Promise<void> {
    const specs = parseFeedSpecs(this.config.MARKET_FEEDS);
    const names = leaseNames(specs);
    const followers = tickerFollowers(specs);
    for (const [i, spec] of specs.entries()) {
      // Stopped while starting (a SIGTERM during a pairs sync): start nothing more.
      if (this.abort.signal.aborted) return;
      const ttlMs = this.config.FEED_LEASE_TTL_MS;
      const lease = ttlMs > 0 ? new FeedLease(this.redis, { key: streamKey(this.config.REDIS_NAMESPACE, `lease:market-data:feed:${names[i]}`), owner: instanceName(this.config), ttlMs }) : undefined;
      const slot: FeedSlot = { spec, name: names[i], followTicker: followers.has(i), lease, state: lease ? 'starting' : 'unleased', since: new Date(), loop: Promise.resolve() };
      this.slots.push(slot);
      if (!lease) {
        // No lease: today's single-instance behaviour, a failing build stops the start.
        const run = await this.start(slot, this.abort.signal);
        if (run) slot.loop = run.done;
        continue;
      }
      // Feeds start one after the other as without a lease; each then keeps or waits for its lease on its own.
      let firstTurn!: () => void;
      const turned = new Promise<void>((resolve) => (firstTurn = resolve));
      slot.loop = this.leaseLoop(slot, lease, firstTurn)
        .catch((error: unknown) => this.logger.error({ msg: 'feed lease loop failed', feed: slot.name, error: String(error) }))
        .finally(firstTurn);
      await turned;
    }
  }

  /**
   * Resolves when every replay feed this instance runs has handed over all its data (used by the demo and tests).
   * A replay this instance stands by for is not waited for: its holder runs it (and its holder's whenIdle covers
   * it); one whose lease this instance loses meanwhile resolves as its run ends.
   */
  async whenIdle(): Promise<void> {
    await Promise.all(this.running.filter((r) => r.kind === 'replay').map((r) => r.done));
  }

  async onApplicationShutdown(): Promise<void> {
    this.abort.abort();
    // Each loop lets its feed finish the batch in hand, closes its exchange clients and releases its lease.
    await Promise.all(this.slots.map((s) => s.loop));
  }

  /**
   * Until shutdown: take the lease or stand by (retrying every ttl/3); while held, build and run the feed and renew
   * the lease; when it is lost, stop the run and stand by again. `firstTurn` is called once this instance knows
   * whether it runs the feed (started, or standing by).
   */
  private async leaseLoop(slot: FeedSlot, lease: FeedLease, firstTurn: () => void): Promise<void> {
    const stop = this.abort.signal;
    let failures = 0;
    while (!stop.aborted) {
      let won = false;
      try {
        won = await lease.acquire();
      } catch (error) {
        this.logger.warn({ msg: 'feed lease unreachable; retrying', feed: slot.name, error: String(error) });
      }
      if (!won) {
        this.standBy(slot, lease);
        firstTurn();
        await abortableSleep(lease.renewEveryMs, stop);
        continue;
      }
      if (stop.aborted) {
        // Won as the shutdown began: give it straight back.
        await this.release(slot, lease);
        break;
      }
      slot.state = 'leased';
      slot.since = new Date();
      this.logger.log({ msg: 'feed lease won', feed: slot.name, ttlMs: lease.options.ttlMs });
      const outcome = await this.runLeased(slot, lease, firstTurn);
      if (slot.run) this.running.splice(this.running.indexOf(slot.run), 1);
      slot.run = undefined;
      if (outcome === 'lost') {
        this.logger.log({ msg: 'feed lease lost; feed stopped', feed: slot.name, holder: lease.holder });
        this.standBy(slot, lease);
        failures = 0;
        continue;
      }
      await this.release(slot, lease);
      if (outcome === 'failed') {
        // Another instance may build it where this one cannot; this one tries again after a growing pause.
        failures++;
        await abortableSleep(Math.max(lease.renewEveryMs, backoffMs(failures)), stop);
      }
    }
  }

  /** Runs the feed while the lease holds: 'stopped' on shutdown, 'lost' with the lease, 'failed' when it cannot be built. */
  private async runLeased(slot: FeedSlot, lease: FeedLease, firstTurn: () => void): Promise<'stopped' | 'lost' | 'failed'> {
    const run = new AbortController();
    const onStop = () => run.abort();
    if (this.abort.signal.aborted) run.abort();
    else this.abort.signal.addEventListener('abort', onStop, { once: true });
    const kept = lease
      .keep(run.signal, (error) => this.logger.warn({ msg: 'feed lease renewal failed', feed: slot.name, error: String(error) }))
      .then((outcome) => {
        if (outcome === 'lost') run.abort();
        return outcome;
      });
    let failed = false;
    try {
      const started = await this.start(slot, run.signal);
      firstTurn();
      // A finished replay (or a feed stopped on an error) keeps its lease: a standby would only run it again.
      if (started) await started.done;
    } catch (error) {
      failed = true;
      this.logger.error({ msg: 'feed could not be started', feed: slot.name, error: String(error) });
      run.abort();
    } finally {
      firstTurn();
    }
    const outcome = await kept;
    this.abort.signal.removeEventListener('abort', onStop);
    return failed ? 'failed' : outcome;
  }

  private standBy(slot: FeedSlot, lease: FeedLease): void {
    if (slot.state === 'standby') return;
    slot.state = 'standby';
    slot.since = new Date();
    this.logger.log({ msg: 'feed lease not held here; standing by', feed: slot.name, holder: lease.holder, retryEveryMs: lease.renewEveryMs });
  }

  private async release(slot: FeedSlot, lease: FeedLease): Promise<void> {
    try {
      const released = await lease.release();
      if (released) this.logger.log({ msg: 'feed lease released', feed: slot.name });
    } catch (error) {
      this.logger.warn({ msg: 'feed lease release failed; it expires on its own', feed: slot.name, ttlMs: lease.options.ttlMs, error: String(error) });
    }
    slot.state = 'released';
    slot.since = new Date();
  }

  /** Builds the feed of `slot` and starts it; null when `signal` aborted while it was being built. */
  private async start(slot: FeedSlot, signal: AbortSignal): Promise<RunningFeed | null> {
    const closers: Closers = [];
    const close = () => Promise.all(closers.map((c) => c().catch(() => undefined)));
    let feed: MarketFeed | null;
    try {
      feed = await this.build(slot, signal, closers);
    } catch (error) {
      await close();
      throw error;
    }
    if (!feed) {
      await close();
      return null;
    }
    const built = feed;
    const entry: RunningFeed = { feed: built, kind: slot.spec.kind, finished: false, done: Promise.resolve() };
    entry.done = built
      .run((batch) => this.ingestBatch(entry, batch), signal)
      .then(
        () => this.logger.log({ msg: 'feed finished', feed: built.name }),
        (error: unknown) => this.logger.error({ msg: 'feed stopped on an error', feed: built.name, error: String(error) }),
      )
      .finally(() => (entry.finished = true))
      .then(async () => {
        this.backfillers.delete(built);
        await close();
      });
    slot.run = entry;
    this.running.push(entry);
    this.logger.log({ msg: 'feed started', feed: built.name });
    return entry;
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

  /**
   * The feed of `slot`, or null when `signal` aborted (shutdown, lease lost) while it was being built. What it opens
   * goes into `closers`.
   */
  private async build(slot: FeedSlot, signal: AbortSignal, closers: Closers): Promise<MarketFeed | null> {
    const { spec } = slot;
    if (spec.kind === 'replay') {
      const feed = new ReplayFeed({ ...spec, waitForConsumers: () => this.waitForConsumers(signal) });
      for (const row of feed.rejected) this.logger.warn({ msg: 'candle file row refused', file: spec.file, line: row.line, reason: row.reason });
      this.ingest.countRefused(feed.rejected.map((r) => r.reason));
      return feed;
    }
    const overrides = this.config.CCXT_OPTIONS ? (JSON.parse(this.config.CCXT_OPTIONS) as { urls?: Record<string, unknown>; options?: Record<string, unknown> }) : {};
    const exchange = new CcxtExchangeAdapter({ exchangeId: spec.exchange, enableRateLimit: this.config.CCXT_RATE_LIMIT, urls: overrides.urls, options: overrides.options });
    closers.push(() => exchange.close());
    await this.syncPairs(spec.exchange, exchange, signal);
    if (signal.aborted) return null;
    const last = await this.candles.lastOpenTime({ exchange: spec.exchange, symbol: spec.symbol, timeframe: spec.timeframe });
    const step = timeframeToMs(spec.timeframe);
    const firstRun = this.config.CCXT_SINCE ? Math.floor(Date.parse(this.config.CCXT_SINCE) / step) * step : Math.floor(Date.now() / step) * step - 1000 * step;
    const since = last ? last.getTime() + step : firstRun;
    this.ingest.expectNext(spec, since);
    const onError = (error: unknown, attempt: number) => this.logger.warn({ msg: 'feed error; retrying', exchange: spec.exchange, symbol: spec.symbol, attempt, error: String(error) });
    const polling = new CcxtFeed(exchange, { exchangeId: spec.exchange, symbol: spec.symbol, timeframe: spec.timeframe, since, onError });
    if (!spec.watch) return polling;
    const watcher = await createMarketWatcher(spec.exchange, overrides);
    if (watcher) closers.push(() => watcher.close());
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
    const live = new CcxtWatchFeed(watcher, {
      exchangeId: spec.exchange,
      symbol: spec.symbol,
      timeframe: spec.timeframe,
      ticker: slot.followTicker ? { minIntervalMs: this.config.TICKER_MIN_INTERVAL_MS, fetchTicker: (symbol) => exchange.fetchTicker(symbol), pollIntervalMs: this.config.TICKER_POLL_INTERVAL_MS } : undefined,
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
   * Runs when the feed starts (during bootstrap, or when a standby takes the lease): its retry wait ends on shutdown
   * or a lost lease, so a shutdown while the exchange is down ends the bootstrap at once.
   */
  private async syncPairs(exchangeId: string, exchange: CcxtExchangeAdapter, signal: AbortSignal): Promise<void> {
    for (let attempt = 1; !signal.aborted; attempt++) {
      try {
        // ccxt keeps a failed load's rejected promise: a retry must ask for a reload to reach the exchange again.
        const markets = Object.values(await exchange.loadMarkets(attempt > 1));
        await this.pairs.upsertMany(markets.map((m) => toPairInput(exchangeId, m)));
        this.logger.log({ msg: 'trading pairs loaded', exchange: exchangeId, pairs: markets.length });
        return;
      } catch (error) {
        this.logger.warn({ msg: 'loading markets failed; retrying', exchange: exchangeId, attempt, error: String(error) });
        if (signal.aborted || attempt >= 5) return;
        await abortableSleep(Math.min(1000 * 2 ** attempt, 15_000), signal);
      }
    }
  }

  /** Replay at full speed never runs further ahead of the slowest consumer group than REPLAY_MAX_CONSUMER_LAG entries. */
  private waitForConsumers(signal: AbortSignal): Promise<void> {
    return waitForConsumerLag(this.redis, streamKey(this.config.REDIS_NAMESPACE, Streams.MarketData), this.config.REPLAY_MAX_CONSUMER_LAG, signal, () => this.relay.pendingCount());
  }
}

/** Each feed's lease name: its MARKET_FEEDS entry without the speed, numbered when the same feed is listed twice. */
function leaseNames(specs: readonly FeedSpec[]): string[] {
  const seen = new Map<string, number>();
  return specs.map((spec) => {
    const base = spec.kind === 'replay' ? `replay:${spec.exchange}:${spec.symbol}:${spec.timeframe}:${spec.dataset}` : `ccxt:${spec.exchange}:${spec.symbol}:${spec.timeframe}${spec.watch ? ':watch' : ''}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}#${n}`;
  });
}

/**
 * Indexes of the `:watch` feeds that follow their market's ticker: the first of each market in MARKET_FEEDS, decided
 * from the list rather than from which feed this instance happened to start first, so that with leases spread over
 * instances each market's ticker is still followed by exactly one feed.
 */
function tickerFollowers(specs: readonly FeedSpec[]): Set<number> {
  const markets = new Set<string>();
  const followers = new Set<number>();
  specs.forEach((spec, i) => {
    if (spec.kind !== 'ccxt' || !spec.watch) return;
    const market = `${spec.exchange}:${spec.symbol}`;
    if (!markets.has(market)) followers.add(i);
    markets.add(market);
  });
  return followers;
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
