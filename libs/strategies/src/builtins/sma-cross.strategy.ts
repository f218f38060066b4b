import { Ema, Sma } from '@trading/indicators';
import { IsBoolean, IsInt, Max, Min } from 'class-validator';
import { ParamDescription } from '../params-schema';
import { indicatorValue, PositionIntent } from '../position-intent';
import { Candle, Strategy, StrategySignal, TargetPosition } from '../strategy';
import { defineStrategy } from '../strategy-definition';

export class MovingAverageCrossParams {
  @ParamDescription('period of the fast moving average')
  @IsInt()
  @Min(1)
  @Max(1000)
  fast = 10;

  @ParamDescription('period of the slow moving average (greater than fast)')
  @IsInt()
  @Min(2)
  @Max(5000)
  slow = 30;

  @ParamDescription('go short on a cross down instead of flat')
  @IsBoolean()
  allowShort = false;
}

/**
 * Moving-average cross. With f and s the fast and slow averages of closes:
 * a cross up at t is f[t-1] < s[t-1] and f[t] > s[t]; a cross down is f[t-1] > s[t-1] and
 * f[t] < s[t]. Both comparisons are strict, so a bar where the averages are equal (a touch)
 * is neither side and no cross is counted across it. Cross up -> long (closing any short);
 * cross down -> flat, or short with allowShort. First possible signal on candle slow+1.
 */
export class MovingAverageCrossStrategy implements Strategy {
  readonly warmup: number;
  private readonly intent = new PositionIntent();
  private readonly fastAverage: Sma | Ema;
  private readonly slowAverage: Sma | Ema;
  private previousFast = Number.NaN;
  private previousSlow = Number.NaN;

  constructor(
    private readonly kind: 'sma' | 'ema',
    private readonly params: MovingAverageCrossParams,
  ) {
    this.fastAverage = kind === 'sma' ? new Sma(params.fast) : new Ema(params.fast);
    this.slowAverage = kind === 'sma' ? new Sma(params.slow) : new Ema(params.slow);
    this.warmup = params.slow + 1;
  }

  assumePosition(target: TargetPosition): void {
    this.intent.assume(target);
  }

  onCandle(candle: Candle): StrategySignal | null {
    const fast = this.fastAverage.update(candle.close);
    const slow = this.slowAverage.update(candle.close);
    const pf = this.previousFast;
    const ps = this.previousSlow;
    this.previousFast = fast;
    this.previousSlow = slow;
    if (pf < ps && fast > slow) return this.intent.want('long', this.describe('above'), this.indicators(fast, slow));
    if (pf > ps && fast < slow) return this.intent.want(this.params.allowShort ? 'short' : 'flat', this.describe('below'), this.indicators(fast, slow));
    return null;
  }

  // Built only when a cross happens: this runs once per candle over millions of candles in backtests.
  private describe(direction: 'above' | 'below'): string {
    const k = this.kind.toUpperCase();
    return `fast ${k}(${this.params.fast}) crossed ${direction} slow ${k}(${this.params.slow})`;
  }

  private indicators(fast: number, slow: number): Record<string, number | null> {
    return { [`${this.kind}_fast`]: indicatorValue(fast), [`${this.kind}_slow`]: indicatorValue(slow) };
  }
}

const fastBelowSlow = (p: MovingAverageCrossParams) =>
  p.fast < p.slow ? [] : [{ param: 'fast', problem: `must be less than slow (${p.slow}), got ${p.fast}` }];

export const smaCross = defineStrategy({
  name: 'sma_cross',
  description: 'Long when the fast SMA crosses above the slow SMA; flat (or short) when it crosses below.',
  params: MovingAverageCrossParams,
  warmup: (p) => p.slow + 1,
  create: (p) => new MovingAverageCrossStrategy('sma', p),
  check: fastBelowSlow,
});

export const emaCross = defineStrategy({
  name: 'ema_cross',
  description: 'Long when the fast EMA crosses above the slow EMA; flat (or short) when it crosses below.',
  params: MovingAverageCrossParams,
  warmup: (p) => p.slow + 1,
  create: (p) => new MovingAverageCrossStrategy('ema', p),
  check: fastBelowSlow,
});
