import { Ema, RollingExtreme } from '@trading/indicators';
import { IsInt, Max, Min } from 'class-validator';
import { ParamDescription } from '../params-schema';
import { indicatorValue, PositionIntent } from '../position-intent';
import { Candle, Strategy, StrategySignal, TargetPosition } from '../strategy';
import { defineStrategy } from '../strategy-definition';

export class ShortSellerParams {
  @ParamDescription('period of the trend EMA; shorts only below it')
  @IsInt()
  @Min(2)
  @Max(5000)
  trend = 50;

  @ParamDescription('breakdown channel: bars whose lowest low a close must fall under')
  @IsInt()
  @Min(2)
  @Max(1000)
  breakdown = 20;

  @ParamDescription('reversal channel: bars whose highest high a close must exceed to cover')
  @IsInt()
  @Min(1)
  @Max(1000)
  exit_lookback = 10;
}

/**
 * Trend-following shorts for futures / margin accounts. Flat -> short when close[t] <
 * EMA(trend)[t] and close[t] < min(low[t-breakdown .. t-1]) (a breakdown in a down-trend).
 * Short -> flat on a reversal: close[t] > EMA(trend)[t] or close[t] > max(high[t-exit_lookback
 * .. t-1]). Never long. First possible signal on candle max(trend, breakdown+1).
 */
export class ShortSellerStrategy implements Strategy {
  readonly warmup: number;
  private readonly ema: Ema;
  private readonly lowest: RollingExtreme;
  private readonly highest: RollingExtreme;
  private readonly intent = new PositionIntent();
  private seen = 0;
  private channelLow = Number.NaN;
  private channelHigh = Number.NaN;

  constructor(private readonly p: ShortSellerParams) {
    this.ema = new Ema(p.trend);
    this.lowest = new RollingExtreme(p.breakdown, 'min');
    this.highest = new RollingExtreme(p.exit_lookback, 'max');
    this.warmup = shortSellerWarmup(p);
  }

  assumePosition(target: TargetPosition): void {
    this.intent.assume(target);
  }

  onCandle(candle: Candle): StrategySignal | null {
    const trend = this.ema.update(candle.close);
    const breakdownReady = this.seen >= this.p.breakdown;
    const exitReady = this.seen >= this.p.exit_lookback;
    const low = this.channelLow;
    const high = this.channelHigh;
    this.seen++;
    this.channelLow = this.lowest.update(candle.low);
    this.channelHigh = this.highest.update(candle.high);
    if (Number.isNaN(trend)) return null;
    const indicators = {
      ema_trend: indicatorValue(trend),
      channel_low: breakdownReady ? indicatorValue(low) : null,
      channel_high: exitReady ? indicatorValue(high) : null,
    };
    const close = candle.close;
    if (this.intent.position === 'flat') {
      if (breakdownReady && close < trend && close < low) {
        return this.intent.want('short', `breakdown below the ${this.p.breakdown}-bar low under EMA(${this.p.trend})`, indicators);
      }
      return null;
    }
    if (close > trend) return this.intent.want('flat', `close back above EMA(${this.p.trend})`, indicators);
    if (exitReady && close > high) return this.intent.want('flat', `close above the ${this.p.exit_lookback}-bar high`, indicators);
    return null;
  }
}

export function shortSellerWarmup(p: ShortSellerParams): number {
  return Math.max(p.trend, p.breakdown + 1);
}

export const shortSeller = defineStrategy({
  name: 'short_seller',
  description: 'Futures: short a breakdown below the recent low while price is under a long EMA; cover on a close above the EMA or the recent high.',
  params: ShortSellerParams,
  warmup: shortSellerWarmup,
  create: (p) => new ShortSellerStrategy(p),
});
