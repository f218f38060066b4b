import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { BaseServiceEnv } from '@trading/service-runtime';

/** Connections besides the candle transactions: the outbox relay keeps one for good; RPC, health checks, backtests and pruning share one more. */
export const POOL_CONNECTIONS_BESIDES_CANDLES = 2;

/**
 * Candle events handled at once: STREAMS_CONCURRENCY, but no more than the pool serves besides the relay and
 * the rest. Each candle holds a connection for its whole transaction, so more would only wait for one, with
 * RPC requests and health checks queued behind them.
 */
export function candleConcurrency(config: Pick<StrategyEnv, 'STREAMS_CONCURRENCY' | 'DATABASE_POOL_SIZE'>): number {
  return Math.min(config.STREAMS_CONCURRENCY, config.DATABASE_POOL_SIZE - POOL_CONNECTIONS_BESIDES_CANDLES);
}

/** Environment of the strategy service (see README.md, Configuration). */
export class StrategyEnv extends BaseServiceEnv {
  /**
   * Connections of an instance: STREAMS_CONCURRENCY (16) candle transactions at once plus
   * POOL_CONNECTIONS_BESIDES_CANDLES, and two to spare. (A subclass's validators replace the base's, hence all of them.)
   */
  @Type(() => Number)
  @IsInt()
  @Min(POOL_CONNECTIONS_BESIDES_CANDLES + 1)
  @Max(200)
  override DATABASE_POOL_SIZE = 20;

  /** Folder of user strategy files (`*.js`), loaded and added to the catalog at start. Unset: built-ins only. */
  @IsOptional()
  @IsString()
  STRATEGIES_DIR?: string;

  /** Closed candles market-data keeps per series in Redis (its CANDLE_WINDOW_SIZE): caps the evaluation window. */
  @Type(() => Number)
  @IsInt()
  @Min(50)
  @Max(100_000)
  CANDLE_WINDOW_SIZE = 1000;

  /** A candle left pending this long by a dead instance is taken over by a live one. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  STREAMS_CLAIM_IDLE_MS = 30_000;

  /** Candle events handled at once per instance (one series at a time each: candles of a market stay in order); at most DATABASE_POOL_SIZE - 2 (candleConcurrency). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(256)
  STREAMS_CONCURRENCY = 16;

  /** How often an idle backtest worker looks for queued jobs. */
  @Type(() => Number)
  @IsInt()
  @Min(50)
  @Max(600_000)
  BACKTEST_POLL_INTERVAL_MS = 1000;

  /** A backtest `running` without progress for this long (its instance died) is queued again. */
  @Type(() => Number)
  @IsInt()
  @Min(10_000)
  BACKTEST_STALE_AFTER_MS = 600_000;

  /** Timeout of the `market.candles.range` requests a backtest makes to market-data. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(600_000)
  MARKET_DATA_RPC_TIMEOUT_MS = 10_000;
}
