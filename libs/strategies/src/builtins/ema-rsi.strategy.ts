import { Ema, Rsi } from '@trading/indicators';
import { IsInt, IsNumber, Max, Min } from 'class-validator';
import { ParamDescription } from '../params-schema';
import { indicatorValue, PositionIntent } from '../position-intent';
import { Candle, Strategy, StrategySignal, TargetPosition } from '../strategy';
import { defineStrategy } from '../strategy-definition';

export class EmaRsiParams {
  @ParamDescription('period of the fast EMA (trend filter)')
  @IsInt()
  @Min(1)
  @Max(1000)
  ema_fast = 12;

  @ParamDescription('period of the slow EMA (trend filter, greater than ema_fast)')
  @IsInt()
  @Min(2)
  @Max(5000)
  ema_slow = 26;

  @ParamDescription('RSI period (Wilder)')
  @IsInt()
  @Min(2)
  @Max(1000)
  rsi_period = 14;

  @ParamDescription('RSI level the pull-back must recover above to enter')
  @IsNumber()
  @Min(0)
  @Max(100)
  rsi_oversold = 30;

  @ParamDescription('RSI level above which the position is closed')
  @IsNumber()
  @Min(0)
  @Max(100)
  rsi_overbought = 70;
}

/**
 * Buy the pull-back in an up-trend (the seed bot). Up-trend: EMA(ema_fast) > EMA(ema_slow).
 * Entry (flat -> long): up-trend and RSI crosses up out of oversold, i.e.
 * RSI[t-1] < rsi_oversold <= RSI[t]. Exit (long -> flat): RSI[t] > rsi_overbought (take the
 * bounce) or the trend turns, EMA(ema_fast) < EMA(ema_slow). Long-only.
 */
export class EmaRsiStrategy implements Strategy {
  readonly warmup: number;
  private readonly fast: Ema;
  private readonly slow: Ema;
  private readonly rsi: Rsi;
  private readonly intent = new PositionIntent();
  private previousRsi = Number.NaN;

  constructor(private readonly p: EmaRsiParams) {
    this.fast = new Ema(p.ema_fast);
    this.slow = new Ema(p.ema_slow);
    this.rsi = new Rsi(p.rsi_period);
    this.warmup = emaRsiWarmup(p);
  }

  assumePosition(target: TargetPosition): void {
    this.intent.assume(target);
  }

  onCandle(candle: Candle): StrategySignal | null {
    const fast = this.fast.update(candle.close);
    const slow = this.slow.update(candle.close);
    const rsi = this.rsi.update(candle.close);
    const previousRsi = this.previousRsi;
    this.previousRsi = rsi;
    const indicators = { ema_fast: indicatorValue(fast), ema_slow: indicatorValue(slow), rsi: indicatorValue(rsi) };
    if (this.intent.position === 'flat') {
      if (fast > slow && previousRsi < this.p.rsi_oversold && rsi >= this.p.rsi_oversold) {
        return this.intent.want('long', `RSI crossed up out of oversold (${this.p.rsi_oversold}) in an up-trend`, indicators);
      }
      return null;
    }
    if (rsi > this.p.rsi_overbought) return this.intent.want('flat', `RSI above overbought (${this.p.rsi_overbought})`, indicators);
    if (fast < slow) return this.intent.want('flat', 'trend turned: fast EMA below slow EMA', indicators);
    return null;
  }
}

export function emaRsiWarmup(p: EmaRsiParams): number {
  return Math.max(p.ema_slow, p.rsi_period + 2);
}

export const emaRsi = defineStrategy({
  name: 'ema_rsi',
  description: 'In an up-trend (fast EMA above slow), buy when RSI recovers above oversold; sell when RSI is overbought or the trend turns.',
  params: EmaRsiParams,
  warmup: emaRsiWarmup,
  create: (p) => new EmaRsiStrategy(p),
  check: (p) => [
    ...(p.ema_fast < p.ema_slow ? [] : [{ param: 'ema_fast', problem: `must be less than ema_slow (${p.ema_slow})` }]),
    ...(p.rsi_oversold < p.rsi_overbought
      ? []
      : [{ param: 'rsi_oversold', problem: `must be less than rsi_overbought (${p.rsi_overbought})` }]),
  ],
});
