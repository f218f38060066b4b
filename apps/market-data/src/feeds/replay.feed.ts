import { readCandleFile } from '@trading/datasets';
import { timeframeToMs } from '@trading/datasets';
import { abortableSleep } from './abortable-sleep';
import { FeedBatch, FeedCandle, FeedSink, MarketFeed } from './market-feed';

export interface ReplayFeedOptions {
  readonly file: string;
  readonly exchange: string;
  readonly symbol: string;
  readonly timeframe: string;
  /**
   * 'max': as fast as the pipeline (and, with `waitForConsumers`, the stream's consumers) keeps up;
   * a number: that many times real time (1 = one candle per timeframe).
   */
  readonly speed: number | 'max';
  /** Candles per batch in 'max' mode. */
  readonly batchSize?: number;
  /** Called before each batch in 'max' mode; resolves when downstream consumers have caught up enough. */
  readonly waitForConsumers?: () => Promise<void>;
}

/**
 * Streams real candles from a file (CSV or JSON OHLCV, the rules of `tradectl data import`) as if
 * they were arriving live: each candle is handed over closed, with a ticker at its close. The first
 * batch rewinds the market's cached ticker: a replay restarted from an older day is priced by its
 * own data at once.
 */
export class ReplayFeed implements MarketFeed {
  readonly name: string;
  private readonly candles: FeedCandle[];
  readonly rejected: { line: number; reason: string }[];

  constructor(private readonly options: ReplayFeedOptions) {
    const { candles, rejected } = readCandleFile(options.file, { timeframe: options.timeframe });
    this.candles = candles.map((c) => ({ exchange: options.exchange, symbol: options.symbol, timeframe: options.timeframe, time: c.time, ...c.exact }));
    this.rejected = rejected;
    this.name = `replay:${options.exchange}:${options.symbol}:${options.timeframe}`;
  }

  get size(): number {
    return this.candles.length;
  }

  async run(sink: FeedSink, signal: AbortSignal): Promise<void> {
    const { speed } = this.options;
    const batchSize = speed === 'max' ? (this.options.batchSize ?? 200) : 1;
    const delayMs = speed === 'max' ? 0 : timeframeToMs(this.options.timeframe) / speed;
    for (let i = 0; i < this.candles.length && !signal.aborted; i += batchSize) {
      if (speed === 'max' && this.options.waitForConsumers) await this.options.waitForConsumers();
      const candles = this.candles.slice(i, i + batchSize);
      await sink({ ...this.batchOf(candles), rewind: i === 0 });
      if (delayMs > 0) await abortableSleep(delayMs, signal);
    }
  }

  private batchOf(candles: FeedCandle[]): FeedBatch {
    const last = candles[candles.length - 1];
    const closeTime = last.time + timeframeToMs(last.timeframe);
    return {
      candles,
      tickers: [{ exchange: last.exchange, symbol: last.symbol, last: last.close, bid: last.close, ask: last.close, baseVolume: last.volume, time: closeTime }],
    };
  }
}
