import { Macd } from '@trading/indicators';
import { IsBoolean, IsInt, Max, Min } from 'class-validator';
import { ParamDescription } from '../params-schema';
import { indicatorValue, PositionIntent } from '../position-intent';
import { Candle, Strategy, StrategySignal, TargetPosition } from '../strategy';
import { defineStrategy } from '../strategy-definition';

export class MacdCrossParams {
  @ParamDescription('fast EMA period')
  @IsInt()
  @Min(1)
  @Max(1000)
  fast = 12;

  @ParamDescription('slow EMA period (greater than fast)')
  @IsInt()
  @Min(2)
  @Max(5000)
  slow = 26;

  @ParamDescription('signal EMA period')
  @IsInt()
  @Min(1)
  @Max(1000)
  signal = 9;

  @ParamDescription('go short on a cross down instead of flat')
  @IsBoolean()
  allowShort = false;
}

/**
 * MACD line / signal line cross, strict on both bars as in sma_cross: up when
 * macd[t-1] < signal[t-1] and macd[t] > signal[t] -> long; down when macd[t-1] > signal[t-1]
 * and macd[t] < signal[t] -> flat, or short with allowShort. First possible signal on candle
 * slow + signal.
 */
export class MacdCrossStrategy implements Strategy {
  readonly warmup: number;
  private readonly macd: Macd;
  private readonly intent = new PositionIntent();
  private previousMacd = Number.NaN;
  private previousSignal = Number.NaN;

  constructor(private readonly p: MacdCrossParams) {
    this.macd = new Macd(p.fast, p.slow, p.signal);
    this.warmup = p.slow + p.signal;
  }

  assumePosition(target: TargetPosition): void {
    this.intent.assume(target);
  }

  onCandle(candle: Candle): StrategySignal | null {
    const { macd, signal, histogram } = this.macd.update(candle.close);
    const pm = this.previousMacd;
    const ps = this.previousSignal;
    this.previousMacd = macd;
    this.previousSignal = signal;
    const indicators = { macd: indicatorValue(macd), signal: indicatorValue(signal), histogram: indicatorValue(histogram) };
    if (pm < ps && macd > signal) return this.intent.want('long', 'MACD crossed above its signal line', indicators);
    if (pm > ps && macd < signal) {
      return this.intent.want(this.p.allowShort ? 'short' : 'flat', 'MACD crossed below its signal line', indicators);
    }
    return null;
  }
}

export const macdCross = defineStrategy({
  name: 'macd_cross',
  description: 'Long when the MACD line crosses above its signal line; flat (or short) when it crosses below.',
  params: MacdCrossParams,
  warmup: (p) => p.slow + p.signal,
  create: (p) => new MacdCrossStrategy(p),
  check: (p) => (p.fast < p.slow ? [] : [{ param: 'fast', problem: `must be less than slow (${p.slow})` }]),
});
