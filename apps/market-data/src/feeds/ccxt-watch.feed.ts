import { timeframeToMs } from '@trading/datasets';
import { loadCcxt, toCcxtRealm } from '@trading/exchange';
import { FeedCandle, FeedSink, MarketFeed } from './market-feed';

/** The part of a ccxt Pro exchange a websocket feed needs ([time, open, high, low, close, volume] rows). */
export interface OhlcvWatcher {
  readonly has: Record<string, unknown>;
  watchOHLCV(symbol: string, timeframe: string): Promise<number[][]>;
  close(): Promise<unknown>;
}

export interface CcxtWatchFeedOptions {
  readonly exchangeId: string;
  readonly symbol: string;
  readonly timeframe: string;
  readonly onError?: (error: unknown, attempt: number) => void;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

/** A ccxt Pro client for `exchangeId`, or null when ccxt has no websocket support for it. */
export function createOhlcvWatcher(exchangeId: string, overrides: { urls?: Record<string, unknown>; options?: Record<string, unknown> } = {}): OhlcvWatcher | null {
  const pro = (loadCcxt() as unknown as { pro: Record<string, new (config: Record<string, unknown>) => OhlcvWatcher> }).pro;
  const ExchangeClass = pro?.[exchangeId];
  if (typeof ExchangeClass !== 'function') return null;
  const watcher = new ExchangeClass(toCcxtRealm({ enableRateLimit: true, ...overrides }));
  return watcher.has['watchOHLCV'] ? watcher : null;
}

/**
 * A live feed over the exchange's websocket (ccxt Pro `watchOHLCV`). Updates of the forming candle
 * are ignored; a candle is handed over once a later one has started (so it is closed). A broken
 * connection reconnects with backoff (1 s .. 30 s); candles missed meanwhile show up as a gap, which
 * the feed runner repairs through REST (`backfill`).
 */
export class CcxtWatchFeed implements MarketFeed {
  readonly name: string;
  private lastEmitted = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly watcher: OhlcvWatcher,
    private readonly options: CcxtWatchFeedOptions,
  ) {
    this.name = `ccxt-watch:${options.exchangeId}:${options.symbol}:${options.timeframe}`;
    timeframeToMs(options.timeframe);
  }

  async run(sink: FeedSink, signal: AbortSignal): Promise<void> {
    let attempt = 0;
    signal.addEventListener('abort', () => void this.watcher.close().catch(() => undefined), { once: true });
    while (!signal.aborted) {
      try {
        const rows = await this.watcher.watchOHLCV(this.options.symbol, this.options.timeframe);
        attempt = 0;
        const closed = this.closedCandles(rows);
        if (closed.length) await sink({ candles: closed, tickers: [] });
      } catch (error) {
        if (signal.aborted) break;
        attempt++;
        this.options.onError?.(error, attempt);
        await sleep(Math.min(1000 * 2 ** Math.min(attempt - 1, 5), 30_000), signal);
      }
    }
  }

  /** Every row older than the newest one is closed; hand over those not handed over yet, in order. */
  closedCandles(rows: number[][]): FeedCandle[] {
    if (rows.length < 2) return [];
    const sorted = [...rows].sort((a, b) => a[0] - b[0]);
    const forming = sorted[sorted.length - 1][0];
    const out: FeedCandle[] = [];
    for (const [time, open, high, low, close, volume] of sorted) {
      if (time >= forming || time <= this.lastEmitted) continue;
      out.push({ exchange: this.options.exchangeId, symbol: this.options.symbol, timeframe: this.options.timeframe, time, open: String(open), high: String(high), low: String(low), close: String(close), volume: String(volume) });
      this.lastEmitted = time;
    }
    return out;
  }
}
