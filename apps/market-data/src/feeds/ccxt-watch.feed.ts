import { timeframeToMs } from '@trading/datasets';
import { toDecimalString } from '@trading/exchange';
import { abortableSleep, backoffMs } from './abortable-sleep';
import { ClosedCandleTracker, OhlcvRow } from './closed-candle-tracker';
import type { MarketWatcher } from './ccxt-market-watcher';
import { RawTicker, toFeedTicker } from './feed-ticker';
import { LatestValue } from './latest-value';
import { FeedBatch, FeedCandle, FeedSink, FeedTicker, MarketFeed } from './market-feed';

export type { MarketWatcher } from './ccxt-market-watcher';

export interface WatchFeedTickerOptions {
  /** At most one ticker handed over per this many ms (the latest wins); the first one at once. */
  readonly minIntervalMs: number;
  /** Exchanges without a websocket ticker: poll this REST call instead ... */
  readonly fetchTicker?: (symbol: string) => Promise<RawTicker>;
  /** ... this often. */
  readonly pollIntervalMs?: number;
}

export interface CcxtWatchFeedOptions {
  readonly exchangeId: string;
  readonly symbol: string;
  readonly timeframe: string;
  /** Follow the ticker too (unless another feed of the same market already does). */
  readonly ticker?: WatchFeedTickerOptions;
  readonly onError?: (error: unknown, attempt: number, stream: 'candles' | 'ticker') => void;
  /** A candle or ticker the exchange sent that could not be used. */
  readonly onRefused?: (reason: string) => void;
  readonly now?: () => number;
}

/**
 * A live feed over the exchange's websocket (ccxt Pro): candles from `watchOHLCV`, handed over once
 * closed (see ClosedCandleTracker), and the ticker from `watchTicker` (or REST `fetchTicker` polling
 * where ccxt Pro has no websocket ticker), coalesced so a chatty ticker hands over at most one per
 * `minIntervalMs`, the latest. Candles and ticker run concurrently, each reconnecting with its own
 * backoff (1 s .. 30 s); batches reach the sink one at a time. Candles missed while a socket was
 * down show up as a gap, which the feed runner repairs through REST.
 */
export class CcxtWatchFeed implements MarketFeed {
  readonly name: string;
  private readonly candles = new ClosedCandleTracker();

  constructor(
    private readonly watcher: MarketWatcher,
    private readonly options: CcxtWatchFeedOptions,
  ) {
    this.name = `ccxt-watch:${options.exchangeId}:${options.symbol}:${options.timeframe}`;
    timeframeToMs(options.timeframe);
  }

  /** Where the ticker comes from: the websocket, REST polling, or nowhere (not followed by this feed). */
  get tickerSource(): 'websocket' | 'rest' | 'none' {
    if (!this.options.ticker) return 'none';
    if (this.watcher.watchTicker) return 'websocket';
    return this.options.ticker.fetchTicker ? 'rest' : 'none';
  }

  async run(sink: FeedSink, signal: AbortSignal): Promise<void> {
    const oneAtATime = serialize(sink);
    const closeOnAbort = () => void this.watcher.close().catch(() => undefined);
    signal.addEventListener('abort', closeOnAbort, { once: true });
    try {
      await Promise.all([this.followCandles(oneAtATime, signal), this.followTicker(oneAtATime, signal)]);
    } finally {
      signal.removeEventListener('abort', closeOnAbort);
    }
  }

  private async followCandles(sink: FeedSink, signal: AbortSignal): Promise<void> {
    let attempt = 0;
    while (!signal.aborted) {
      let rows: OhlcvRow[];
      try {
        rows = await this.watcher.watchOHLCV(this.options.symbol, this.options.timeframe);
        attempt = 0;
      } catch (error) {
        if (signal.aborted) break;
        this.candles.connectionLost();
        this.options.onError?.(error, ++attempt, 'candles');
        await abortableSleep(backoffMs(attempt), signal);
        continue;
      }
      this.candles.update(rows);
      const closed = this.candles.closed();
      if (!closed.length) continue;
      const candles: FeedCandle[] = [];
      for (const row of closed) {
        const candle = this.toCandle(row);
        if (candle) candles.push(candle);
        else this.options.onRefused?.(`candle with a missing or non-numeric field (${JSON.stringify(row)})`);
      }
      try {
        if (candles.length) await sink({ candles, tickers: [] });
        this.candles.handedOver(closed);
      } catch (error) {
        // Kept open: handed over again with the next update.
        this.options.onError?.(error, ++attempt, 'candles');
        await abortableSleep(backoffMs(attempt), signal);
      }
    }
  }

  private async followTicker(sink: FeedSink, signal: AbortSignal): Promise<void> {
    const options = this.options.ticker;
    const viaSocket = this.watcher.watchTicker?.bind(this.watcher);
    const next = viaSocket ?? options?.fetchTicker;
    if (!options || !next) return;
    const source = viaSocket ? 'websocket' : 'rest';
    const latest = new LatestValue<FeedTicker>();
    await Promise.all([this.receiveTickers(source, next, options, latest, signal), this.handOverTickers(source, options, latest, sink, signal)]);
  }

  private async receiveTickers(source: 'websocket' | 'rest', next: (symbol: string) => Promise<RawTicker>, options: WatchFeedTickerOptions, latest: LatestValue<FeedTicker>, signal: AbortSignal): Promise<void> {
    const now = this.options.now ?? Date.now;
    let attempt = 0;
    while (!signal.aborted) {
      try {
        const raw = await next(this.options.symbol);
        attempt = 0;
        const checked = toFeedTicker(this.options.exchangeId, this.options.symbol, raw, now());
        if (checked.ticker) latest.put(checked.ticker);
        else this.options.onRefused?.(checked.refused);
        if (source === 'rest') await abortableSleep(options.pollIntervalMs ?? 10_000, signal);
      } catch (error) {
        if (signal.aborted) break;
        this.options.onError?.(error, ++attempt, 'ticker');
        await abortableSleep(backoffMs(attempt), signal);
      }
    }
  }

  private async handOverTickers(source: 'websocket' | 'rest', options: WatchFeedTickerOptions, latest: LatestValue<FeedTicker>, sink: FeedSink, signal: AbortSignal): Promise<void> {
    let attempt = 0;
    let lastTime = Number.NEGATIVE_INFINITY;
    while (!signal.aborted) {
      const taken = await latest.take(signal);
      if (!taken) break;
      const ticker = source === 'websocket' ? this.newestOf(taken) : taken;
      // An older ticker than one already handed over would move the cached ticker back in time.
      if (ticker.time <= lastTime) continue;
      try {
        await sink({ candles: [], tickers: [ticker] });
        lastTime = ticker.time;
        attempt = 0;
        await abortableSleep(options.minIntervalMs, signal);
      } catch (error) {
        latest.restore(ticker);
        this.options.onError?.(error, ++attempt, 'ticker');
        await abortableSleep(Math.max(options.minIntervalMs, backoffMs(attempt)), signal);
      }
    }
  }

  /** The taken ticker, or the newer one ccxt has cached since (the tail of a burst). */
  private newestOf(taken: FeedTicker): FeedTicker {
    const raw = this.watcher.latestTicker?.(this.options.symbol);
    if (!raw) return taken;
    const cached = toFeedTicker(this.options.exchangeId, this.options.symbol, raw, (this.options.now ?? Date.now)());
    return cached.ticker && cached.ticker.time > taken.time ? cached.ticker : taken;
  }

  /** Null for a row ccxt could not fill (a field missing from the exchange's message). */
  private toCandle(row: OhlcvRow): FeedCandle | null {
    if (row.length < 6 || !row.slice(0, 6).every((v) => typeof v === 'number' && Number.isFinite(v))) return null;
    const [time, open, high, low, close, volume] = row;
    const { exchangeId: exchange, symbol, timeframe } = this.options;
    return { exchange, symbol, timeframe, time, open: toDecimalString(open), high: toDecimalString(high), low: toDecimalString(low), close: toDecimalString(close), volume: toDecimalString(volume) };
  }
}

/** The sink called by one caller at a time, in call order, whichever loop calls it. */
function serialize(sink: FeedSink): FeedSink {
  let tail: Promise<unknown> = Promise.resolve();
  return (batch: FeedBatch) => {
    const turn = tail.then(() => sink(batch));
    tail = turn.catch(() => undefined);
    return turn;
  };
}
