import { timeframeToMs } from '@trading/datasets';
import { Candle, ExchangeRetryableError, Ticker } from '@trading/exchange';
import { abortableSleep } from './abortable-sleep';
import { FeedBatch, FeedCandle, FeedSink, MarketFeed } from './market-feed';

/** The part of the exchange port a live feed needs. */
export interface MarketDataExchange {
  fetchOHLCV(symbol: string, timeframe: string, since?: number, limit?: number): Promise<Candle[]>;
  fetchTicker(symbol: string): Promise<Ticker>;
}

export interface CcxtFeedOptions {
  readonly exchangeId: string;
  readonly symbol: string;
  readonly timeframe: string;
  /** Open time of the first candle wanted (the newest stored candle + 1 when resuming). */
  readonly since: number;
  readonly pollIntervalMs?: number;
  readonly pageSize?: number;
  readonly now?: () => number;
  readonly onError?: (error: unknown, attempt: number) => void;
}

/**
 * A live feed by REST polling through ccxt: `fetchOHLCV` with a `since` cursor (only closed
 * candles are handed over; the cursor moves past the last one) and `fetchTicker` each round.
 * Errors back off exponentially (1 s .. 30 s) and polling resumes from the same cursor, so a
 * disconnect loses nothing. `backfill()` fetches a past range (gap repair).
 */
export class CcxtFeed implements MarketFeed {
  readonly name: string;
  private cursor: number;
  private readonly stepMs: number;

  constructor(
    private readonly exchange: MarketDataExchange,
    private readonly options: CcxtFeedOptions,
  ) {
    this.name = `ccxt:${options.exchangeId}:${options.symbol}:${options.timeframe}`;
    this.stepMs = timeframeToMs(options.timeframe);
    this.cursor = options.since;
  }

  get nextCandleTime(): number {
    return this.cursor;
  }

  async run(sink: FeedSink, signal: AbortSignal): Promise<void> {
    const now = this.options.now ?? Date.now;
    let attempt = 0;
    while (!signal.aborted) {
      try {
        const closed = await this.fetchClosed(this.cursor, now());
        const ticker = await this.exchange.fetchTicker(this.options.symbol);
        await sink(this.batchOf(closed, ticker));
        if (closed.length) this.cursor = closed[closed.length - 1].time + this.stepMs;
        attempt = 0;
        // Behind while the candle at the cursor has closed: fetch on at once (an exchange may serve fewer candles
        // per call than asked, Kraken 720). An empty answer means the exchange has nothing newer yet: wait.
        const caughtUp = !closed.length || this.cursor + this.stepMs > now();
        if (caughtUp) await abortableSleep(this.options.pollIntervalMs ?? Math.min(this.stepMs, 10_000), signal);
      } catch (error) {
        attempt++;
        this.options.onError?.(error, attempt);
        const retryable = error instanceof ExchangeRetryableError || !(error instanceof Error && 'code' in error);
        await abortableSleep(Math.min(1000 * 2 ** Math.min(attempt - 1, 5), retryable ? 30_000 : 60_000), signal);
      }
    }
  }

  /** Closed candles in [from, to) fetched page by page (for repairing a gap). */
  async backfill(from: number, to: number): Promise<FeedCandle[]> {
    const out: FeedCandle[] = [];
    let since = from;
    while (since < to) {
      const page = await this.fetchClosed(since, Math.min(to, (this.options.now ?? Date.now)()));
      const inRange = page.filter((c) => c.time < to);
      out.push(...inRange);
      if (!page.length || inRange.length < page.length) break;
      since = page[page.length - 1].time + this.stepMs;
    }
    return out;
  }

  private async fetchClosed(since: number, now: number): Promise<FeedCandle[]> {
    const raw = await this.exchange.fetchOHLCV(this.options.symbol, this.options.timeframe, since, this.options.pageSize ?? 1000);
    return raw
      .filter((c) => c.timestamp >= since && c.timestamp + this.stepMs <= now)
      .map((c) => ({ exchange: this.options.exchangeId, symbol: this.options.symbol, timeframe: this.options.timeframe, time: c.timestamp, open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume }));
  }

  private batchOf(candles: FeedCandle[], ticker: Ticker): FeedBatch {
    const tickers = ticker.last
      ? [{ exchange: this.options.exchangeId, symbol: this.options.symbol, last: ticker.last, bid: ticker.bid ?? ticker.last, ask: ticker.ask ?? ticker.last, baseVolume: '0', time: ticker.timestamp }]
      : [];
    return { candles, tickers };
  }
}
