import { Transform, Type } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, IsString, Max, Min, ValidateIf } from 'class-validator';
import { BaseServiceEnv } from '@trading/service-runtime';
import { IsFeedSpecs } from '../feeds/feed-spec';

/** Environment of the market-data service (see README.md, Configuration). */
export class MarketDataEnv extends BaseServiceEnv {
  /**
   * Comma-separated feeds: `replay:<dataset>[@max|@<x real time>]`,
   * `replay-file:<exchange>:<BASE/QUOTE>:<timeframe>:<path>[@speed]` or
   * `ccxt:<exchange>:<BASE/QUOTE>:<timeframe>[:watch]`, or `none` (no feed: queries and tasks only).
   * Parsed at start: a misspelt part (`:wacth`, an unknown dataset) stops the service.
   */
  @IsFeedSpecs()
  MARKET_FEEDS = 'replay:BTCUSDT_1m_2021-01-03@max';

  /** Closed candles kept in Redis per exchange/symbol/timeframe (the strategy service's window). */
  @Type(() => Number)
  @IsInt()
  @Min(50)
  @Max(100_000)
  CANDLE_WINDOW_SIZE = 1000;

  /**
   * In `@max` replay, wait while any consumer group of events:market_data lags more than this many
   * entries. Keep it well below CANDLE_WINDOW_SIZE: a strategy reading the window for a candle that
   * has already scrolled out of it would miss its warm-up. 0 = never wait.
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  REPLAY_MAX_CONSUMER_LAG = 200;

  /** JSON `{ "urls": {...}, "options": {...} }` deep-merged into the ccxt exchange (e.g. to point it at a loopback exchange). */
  @IsOptional()
  @IsString()
  CCXT_OPTIONS?: string;

  /** Whether ccxt throttles requests (on; only a loopback test exchange turns it off). */
  @Transform(({ value }) => value === true || value === 'true' || value === '1')
  CCXT_RATE_LIMIT = true;

  /** Where a ccxt feed starts when nothing is stored yet for its series (ISO-8601); default: 1000 candles ago. */
  @IsOptional()
  @IsISO8601({ strict: true })
  CCXT_SINCE?: string;

  /**
   * A `:watch` feed hands over at most one ticker per market per this many ms, the latest (a chatty
   * websocket ticker would otherwise write PostgreSQL and events:market_data on every update).
   */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(60_000)
  TICKER_MIN_INTERVAL_MS = 1000;

  /** A `:watch` feed on an exchange without a websocket ticker in ccxt Pro polls `fetchTicker` this often. */
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  @Max(300_000)
  TICKER_POLL_INTERVAL_MS = 10_000;

  /**
   * How far ahead of this machine's clock a candle may close and still count as closed: a clock a little behind
   * the exchange's would otherwise refuse the candle a websocket hands over the moment the exchange closed it.
   * Keep the clock synchronized (NTP); this only absorbs its drift.
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(60_000)
  CLOCK_SKEW_TOLERANCE_MS = 5000;

  /**
   * Each feed runs under a lease in Redis (key `lease:market-data:feed:<feed>` under REDIS_NAMESPACE) that lives this
   * long unless renewed (every third of it): instances with the same MARKET_FEEDS run each feed once, the others stand
   * by and take a feed over within about this long when its holder dies (at once when it shuts down). 0 = no lease:
   * every instance runs every feed. 1 000 .. 300 000 otherwise.
   */
  @Type(() => Number)
  @IsInt()
  @ValidateIf((env: MarketDataEnv) => env.FEED_LEASE_TTL_MS !== 0)
  @Min(1000)
  @Max(300_000)
  FEED_LEASE_TTL_MS = 15_000;

  /** How often the partition job makes sure next months' OHLCV partitions exist. */
  @Type(() => Number)
  @IsInt()
  @Min(60_000)
  PARTITION_CHECK_INTERVAL_MS = 86_400_000;
}
