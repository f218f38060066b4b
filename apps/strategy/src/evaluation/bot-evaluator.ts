import { Candle, createStrategy, getStrategy, StrategySignal, TargetPosition } from '@trading/strategies';
import { evaluationWindowLength, MAX_CATCH_UP_CANDLES } from './evaluation-window';

/** What the evaluator knows about a bot before the candle. */
export interface BotEvaluationInput {
  readonly strategy: string;
  readonly params: object;
  /** The position the bot's strategy last asked for (stored in bot_state). */
  readonly target: TargetPosition;
  /** Open time of the last candle decided for this bot (epoch ms), null if none yet. */
  readonly lastCandleTime: number | null;
}

export interface BotDecision {
  readonly candle: Candle;
  readonly previousTarget: TargetPosition;
  readonly signal: StrategySignal;
}

export interface BotEvaluation {
  readonly decisions: BotDecision[];
  /** Target after the last decided candle. */
  readonly target: TargetPosition;
  /** Candles decided on this call (1, or more when catching up). */
  readonly decided: number;
}

/** Candles the evaluator needs from the cache for this strategy: the window plus room to catch up. */
export function candlesNeeded(strategy: string, params: object, cacheSize: number): number {
  const definition = getStrategy(strategy);
  return evaluationWindowLength(definition.warmup(definition.parseParams(params)), cacheSize) + MAX_CATCH_UP_CANDLES;
}

/**
 * Decides a bot on closed candles `candles` (oldest first, the deciding candle last), the same way
 * the backtester does on the whole series: for each candle to decide, a fresh strategy is fed the
 * window before it, is told the bot's current target (`assumePosition`), then sees the deciding
 * candle. Candles after `lastCandleTime` are decided in order when it is in the list (catching up),
 * otherwise only the last candle. Pure: no I/O, no clock.
 */
export function evaluateBot(candles: readonly Candle[], input: BotEvaluationInput, cacheSize: number): BotEvaluation {
  if (candles.length === 0) return { decisions: [], target: input.target, decided: 0 };
  const definition = getStrategy(input.strategy);
  const windowLength = evaluationWindowLength(definition.warmup(definition.parseParams(input.params)), cacheSize);
  const last = candles.length - 1;
  let first = last;
  if (input.lastCandleTime !== null) {
    const index = candles.findIndex((c) => c.time === input.lastCandleTime);
    if (index >= 0) first = index + 1;
  }
  const decisions: BotDecision[] = [];
  let target = input.target;
  for (let i = first; i <= last; i++) {
    const strategy = createStrategy(input.strategy, input.params);
    for (let j = Math.max(0, i - windowLength + 1); j < i; j++) strategy.onCandle(candles[j]);
    strategy.assumePosition?.(target);
    const signal = strategy.onCandle(candles[i]);
    if (signal && signal.target !== target) {
      decisions.push({ candle: candles[i], previousTarget: target, signal });
      target = signal.target;
    }
  }
  return { decisions, target, decided: last - first + 1 };
}
