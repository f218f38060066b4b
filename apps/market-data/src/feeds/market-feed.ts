import { ExactCandle } from '../aggregation/exact-candle';

export interface FeedCandle extends ExactCandle {
  readonly exchange: string;
  readonly symbol: string;
  readonly timeframe: string;
}

export interface FeedTicker {
  readonly exchange: string;
  readonly symbol: string;
  readonly last: string;
  readonly bid: string;
  readonly ask: string;
  readonly baseVolume: string;
  /** Exchange time, epoch ms. */
  readonly time: number;
}

/** What a feed hands to the ingest pipeline: closed candles (ascending per series) and tickers. */
export interface FeedBatch {
  readonly candles: readonly FeedCandle[];
  readonly tickers: readonly FeedTicker[];
  /**
   * The feed starts over in time (a replay's first batch): its ticker replaces a newer cached one. Otherwise an
   * older ticker never replaces a newer one (see TickerCache).
   */
  readonly rewind?: boolean;
}

/** Resolves when the batch is stored, cached and published: the feed's backpressure. */
export type FeedSink = (batch: FeedBatch) => Promise<void>;

/**
 * A source of market data behind one interface: a replayed file or a live exchange through ccxt.
 * Both go through exactly the same ingest path.
 */
export interface MarketFeed {
  readonly name: string;
  /** Runs until the data ends (replay) or the signal aborts (live). */
  run(sink: FeedSink, signal: AbortSignal): Promise<void>;
}
