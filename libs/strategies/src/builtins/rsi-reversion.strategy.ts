import { Rsi } from '@trading/indicators';
import { IsBoolean, IsInt, IsNumber, Max, Min } from 'class-validator';
import { ParamDescription } from '../params-schema';
import { indicatorValue, PositionIntent } from '../position-intent';
import { Candle, Strategy, StrategySignal, TargetPosition } from '../strategy';
import { defineStrategy } from '../strategy-definition';

export class RsiReversionParams {
  @ParamDescription('RSI period (Wilder)')
  @IsInt()
  @Min(2)
  @Max(1000)
  period = 14;

  @ParamDescription('enter long when RSI falls below this level')
  @IsNumber()
  @Min(0)
  @Max(100)
  oversold = 30;

  @ParamDescription('enter short (allowShort) when RSI rises above this level')
  @IsNumber()
  @Min(0)
  @Max(100)
  overbought = 70;

  @ParamDescription('RSI level at which a position is closed (between oversold and overbought)')
  @IsNumber()
  @Min(0)
  @Max(100)
  exit = 50;

  @ParamDescription('also fade overbought markets with shorts')
  @IsBoolean()
  allowShort = false;
}

/**
 * RSI mean reversion. Flat -> long when RSI[t] < oversold; flat -> short when
 * RSI[t] > overbought and allowShort. Long -> flat when RSI[t] >= exit; short -> flat when
 * RSI[t] <= exit. First possible signal on candle period+1.
 */
export class RsiReversionStrategy implements Strategy {
  readonly warmup: number;
  private readonly rsi: Rsi;
  private readonly intent = new PositionIntent();

  constructor(private readonly p: RsiReversionParams) {
    this.rsi = new Rsi(p.period);
    this.warmup = p.period + 1;
  }

  assumePosition(target: TargetPosition): void {
    this.intent.assume(target);
  }

  onCandle(candle: Candle): StrategySignal | null {
    const rsi = this.rsi.update(candle.close);
    if (Number.isNaN(rsi)) return null;
    const indicators = { rsi: indicatorValue(rsi) };
    switch (this.intent.position) {
      case 'flat':
        if (rsi < this.p.oversold) return this.intent.want('long', `RSI below oversold (${this.p.oversold})`, indicators);
        if (this.p.allowShort && rsi > this.p.overbought) {
          return this.intent.want('short', `RSI above overbought (${this.p.overbought})`, indicators);
        }
        return null;
      case 'long':
        return rsi >= this.p.exit ? this.intent.want('flat', `RSI back to ${this.p.exit}`, indicators) : null;
      case 'short':
        return rsi <= this.p.exit ? this.intent.want('flat', `RSI back to ${this.p.exit}`, indicators) : null;
    }
  }
}

export const rsiReversion = defineStrategy({
  name: 'rsi_reversion',
  description: 'Buy when RSI is oversold (short when overbought, if allowed); close when RSI returns to the exit level.',
  params: RsiReversionParams,
  warmup: (p) => p.period + 1,
  create: (p) => new RsiReversionStrategy(p),
  check: (p) =>
    p.oversold < p.exit && p.exit < p.overbought
      ? []
      : [{ param: 'exit', problem: `must lie strictly between oversold (${p.oversold}) and overbought (${p.overbought})` }],
});
