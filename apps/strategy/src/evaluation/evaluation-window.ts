/** Fewest candles a bot is evaluated on, even when its warm-up is short. */
export const MIN_EVALUATION_WINDOW = 200;

/**
 * How many closed candles (the deciding one included) a bot's strategy is fed per decision:
 * max(3 x warm-up, 200), capped by what the Redis cache keeps (CANDLE_WINDOW_SIZE). Three times the
 * warm-up lets recursive indicators (EMA, Wilder's RSI/ATR) forget their seed, so a window decides as
 * the whole series does; windowed SMA-based rules (sma_cross) are exact as soon as they are warm.
 */
export function evaluationWindowLength(warmup: number, cacheSize: number): number {
  if (!Number.isInteger(warmup) || warmup < 0) throw new Error(`warm-up must be a non-negative integer, got ${warmup}`);
  return Math.min(Math.max(3 * warmup, MIN_EVALUATION_WINDOW), cacheSize);
}

/**
 * Candles a bot may be behind and still catch up on: when another instance decided a later candle
 * first (two instances read one stream), or a candle was skipped while its bot was locked, the next
 * evaluation decides every missed candle in order. Further behind (a bot just (re)started), only the
 * newest candle is decided.
 */
export const MAX_CATCH_UP_CANDLES = 100;
