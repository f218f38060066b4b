/**
 * The strategy API shared by live trading (strategy service) and backtests.
 *
 * A strategy is fed closed candles one at a time, oldest first, and answers with the
 * position it wants to hold after that candle. It never receives a candle that has not
 * closed, and it has no way to ask for one: lookahead is impossible by construction.
 */
export interface Candle {
  /** Open time of the candle, epoch milliseconds UTC. */
  readonly time: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/** The position a strategy wants after the candle it just saw. */
export type TargetPosition = 'long' | 'short' | 'flat';

export interface StrategySignal {
  readonly target: TargetPosition;
  /** Why, in words a user can read in the signals table (e.g. "fast SMA crossed above slow SMA"). */
  readonly reason: string;
  /** Indicator values at the deciding candle (stored with the signal). */
  readonly indicators: Readonly<Record<string, number | null>>;
}

export interface Strategy {
  /** Number of closed candles needed before the strategy can emit its first signal. */
  readonly warmup: number;
  /** Feed the next closed candle; returns a signal when the wanted position changes, else null. */
  onCandle(candle: Candle): StrategySignal | null;
  /**
   * Tells the strategy which position the bot holds now, before the next candle. The live path
   * (strategy service) evaluates a bot from a bounded candle window and knows the bot's real
   * target from its stored state; a strategy whose rules depend on the position it believes it has
   * (state-style exits such as "flat when RSI > overbought", or `PositionIntent` swallowing a wish
   * equal to the current position) must adopt it so that it decides as the backtester, fed the
   * whole series, would. Optional: a strategy without position-dependent rules can omit it.
   */
  assumePosition?(target: TargetPosition): void;
}
