import { BollingerBands } from '@trading/indicators';
import { IsBoolean, IsInt, IsNumber, Max, Min } from 'class-validator';
import { ParamDescription } from '../params-schema';
import { indicatorValue, PositionIntent } from '../position-intent';
import { Candle, Strategy, StrategySignal, TargetPosition } from '../strategy';
import { defineStrategy } from '../strategy-definition';

export class BollingerReversionParams {
  @ParamDescription('period of the middle band (SMA) and of the standard deviation')
  @IsInt()
  @Min(2)
  @Max(1000)
  period = 20;

  @ParamDescription('band width in population standard deviations')
  @IsNumber()
  @Min(0.1)
  @Max(10)
  multiplier = 2;

  @ParamDescription('also sell closes above the upper band short')
  @IsBoolean()
  allowShort = false;
}

/**
 * Bollinger band reversion to the mean. Flat -> long when close[t] < lower[t]; flat -> short
 * when close[t] > upper[t] and allowShort. Long -> flat when close[t] >= middle[t]; short ->
 * flat when close[t] <= middle[t]. First possible signal on candle `period`.
 */
export class BollingerReversionStrategy implements Strategy {
  readonly warmup: number;
  private readonly bands: BollingerBands;
  private readonly intent = new PositionIntent();

  constructor(private readonly p: BollingerReversionParams) {
    this.bands = new BollingerBands(p.period, p.multiplier);
    this.warmup = p.period;
  }

  assumePosition(target: TargetPosition): void {
    this.intent.assume(target);
  }

  onCandle(candle: Candle): StrategySignal | null {
    const { upper, middle, lower } = this.bands.update(candle.close);
    if (!this.bands.ready) return null;
    const close = candle.close;
    const indicators = { upper: indicatorValue(upper), middle: indicatorValue(middle), lower: indicatorValue(lower) };
    switch (this.intent.position) {
      case 'flat':
        if (close < lower) return this.intent.want('long', 'close below the lower band', indicators);
        if (this.p.allowShort && close > upper) return this.intent.want('short', 'close above the upper band', indicators);
        return null;
      case 'long':
        return close >= middle ? this.intent.want('flat', 'close back at the middle band', indicators) : null;
      case 'short':
        return close <= middle ? this.intent.want('flat', 'close back at the middle band', indicators) : null;
    }
  }
}

export const bollingerReversion = defineStrategy({
  name: 'bollinger_reversion',
  description: 'Buy closes below the lower Bollinger band (short above the upper, if allowed); close at the middle band.',
  params: BollingerReversionParams,
  warmup: (p) => p.period,
  create: (p) => new BollingerReversionStrategy(p),
});
