import Decimal from 'decimal.js';
import { timeframeToMs } from '@trading/datasets';
import { ExactCandle } from './exact-candle';

export const AGGREGATED_TIMEFRAMES = ['5m', '15m', '1h', '4h', '1d'] as const;

export interface AggregatedCandle extends ExactCandle {
  readonly timeframe: string;
  /** How many base candles went into it; fewer than the bucket holds means the feed had a gap. */
  readonly baseCount: number;
  readonly complete: boolean;
}

/** A higher-timeframe bucket: [start, end) on the UTC grid. */
export interface BucketRef {
  readonly timeframe: string;
  readonly start: number;
  readonly end: number;
}

interface Bucket {
  start: number;
  open: string;
  high: Decimal;
  low: Decimal;
  close: string;
  volume: Decimal;
  count: number;
  lastTime: number;
}

/**
 * Builds higher-timeframe candles (5m, 15m, 1h, 4h, 1d by default) from a base feed (1m) of one
 * exchange/symbol, aligned to UTC boundaries. A bucket closes when its last base candle arrives,
 * or, after a gap, when the first candle of a later bucket arrives. Exact decimal arithmetic.
 *
 * It sees base candles in time order only: one at or before the newest it has taken is ignored, so a
 * late candle never opens a bucket in the past. Late candles are the ingest's business: it rebuilds
 * their buckets from the stored base candles (PostgreSQL is the truth), see IngestService.
 */
export class TimeframeAggregator {
  readonly baseMs: number;
  private readonly targets: { timeframe: string; ms: number; bucket?: Bucket }[];
  private newestTime = Number.NEGATIVE_INFINITY;

  constructor(
    readonly baseTimeframe: string,
    targets: readonly string[] = AGGREGATED_TIMEFRAMES,
  ) {
    this.baseMs = timeframeToMs(baseTimeframe);
    // Only timeframes that are whole multiples of the base can be built from it.
    this.targets = targets
      .map((timeframe) => ({ timeframe, ms: timeframeToMs(timeframe) }))
      .filter((t) => t.ms > this.baseMs && t.ms % this.baseMs === 0);
  }

  get timeframes(): string[] {
    return this.targets.map((t) => t.timeframe);
  }

  /** Open time of the newest base candle taken (-Infinity before the first). */
  get newest(): number {
    return this.newestTime;
  }

  /** The bucket of every target timeframe that holds a base candle opening at `time`. */
  bucketsOf(time: number): BucketRef[] {
    return this.targets.map((t) => {
      const start = Math.floor(time / t.ms) * t.ms;
      return { timeframe: t.timeframe, start, end: start + t.ms };
    });
  }

  /** Whether the aggregator is past a bucket: it took the bucket's last base candle or a later one. */
  hasPassed(bucket: BucketRef): boolean {
    return bucket.end <= this.newestTime + this.baseMs;
  }

  /**
   * Feed the next closed base candle (ascending times); returns the higher-timeframe candles it closed.
   * A candle at or before the newest taken (a duplicate or a late one) is ignored: returns [].
   */
  push(candle: ExactCandle): AggregatedCandle[] {
    const closed: AggregatedCandle[] = [];
    if (candle.time <= this.newestTime) return closed;
    this.newestTime = candle.time;
    for (const target of this.targets) {
      const start = Math.floor(candle.time / target.ms) * target.ms;
      let bucket = target.bucket;
      if (bucket && bucket.start !== start) {
        closed.push(this.finish(target.timeframe, target.ms, bucket));
        bucket = undefined;
      }
      if (!bucket) {
        bucket = { start, open: candle.open, high: new Decimal(candle.high), low: new Decimal(candle.low), close: candle.close, volume: new Decimal(0), count: 0, lastTime: candle.time };
      }
      const high = new Decimal(candle.high);
      const low = new Decimal(candle.low);
      if (high.gt(bucket.high)) bucket.high = high;
      if (low.lt(bucket.low)) bucket.low = low;
      bucket.close = candle.close;
      bucket.volume = bucket.volume.plus(candle.volume);
      bucket.count++;
      bucket.lastTime = candle.time;
      target.bucket = bucket;
      if (candle.time + this.baseMs === start + target.ms) {
        closed.push(this.finish(target.timeframe, target.ms, bucket));
        target.bucket = undefined;
      }
    }
    return closed;
  }

  private finish(timeframe: string, ms: number, b: Bucket): AggregatedCandle {
    const expected = ms / this.baseMs;
    return {
      timeframe,
      time: b.start,
      open: b.open,
      high: b.high.toFixed(),
      low: b.low.toFixed(),
      close: b.close,
      volume: b.volume.toFixed(),
      baseCount: b.count,
      complete: b.count === expected,
    };
  }
}
