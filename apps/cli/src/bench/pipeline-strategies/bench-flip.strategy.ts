import type { StrategySignal, TargetPosition, UserStrategyKit } from '@trading/strategies';

/**
 * The pipeline bench's user strategy, loaded by the real strategy service from this folder (its
 * STRATEGIES_DIR) like any user strategy file: it exports a function of the kit and imports nothing
 * at run time. `bench_flip` wants long during even blocks of `minutes` minutes of candle open time and
 * flat during odd ones, so on 1m candles a bot flips every `minutes` candles on a schedule the bench
 * knows in advance, whatever the prices.
 */
export const BENCH_FLIP = 'bench_flip';

/** The position bench_flip wants after the candle opening at `time` (epoch ms). */
export function flipTarget(time: number, minutes: number): TargetPosition {
  return Math.floor(time / (60_000 * minutes)) % 2 === 0 ? 'long' : 'flat';
}

export default function benchFlip({ defineStrategy, validators, ParamDescription }: UserStrategyKit) {
  class Params {
    minutes = 20;
  }
  ParamDescription('length of each long and each flat block, in minutes of candle open time')(Params.prototype, 'minutes');
  validators.IsInt()(Params.prototype, 'minutes');
  validators.Min(1)(Params.prototype, 'minutes');
  validators.Max(100_000)(Params.prototype, 'minutes');

  return defineStrategy({
    name: BENCH_FLIP,
    description: 'Benchmark schedule: long and flat in turns, each for `minutes` minutes of candle time.',
    params: Params,
    warmup: () => 1,
    create: (p) => {
      let position: TargetPosition = 'flat';
      return {
        warmup: 1,
        assumePosition(target: TargetPosition) {
          position = target;
        },
        onCandle(candle): StrategySignal | null {
          const wanted = flipTarget(candle.time, p.minutes);
          if (wanted === position) return null;
          position = wanted;
          return { target: wanted, reason: `scheduled ${wanted} block of ${p.minutes} min`, indicators: {} };
        },
      };
    },
  });
}
