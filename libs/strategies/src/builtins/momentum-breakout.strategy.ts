import { RollingExtreme } from '@trading/indicators';
import { IsInt, Max, Min } from 'class-validator';
import { ParamDescription } from '../params-schema';
import { indicatorValue, PositionIntent } from '../position-intent';
import { Candle, Strategy, StrategySignal, TargetPosition } from '../strategy';
import { defineStrategy } from '../strategy-definition';

export class MomentumBreakoutParams {
  @ParamDescription('entry channel: bars whose highest high a close must exceed')
  @IsInt()
  @Min(2)
  @Max(1000)
  lookback = 20;

  @ParamDescription('exit channel: bars whose lowest low a close must fall under')
  @IsInt()
  @Min(1)
  @Max(1000)
  exit_lookback = 10;
}

/**
 * Donchian channel breakout (turtle style), long-only. The channels cover the bars before the
 * current one: flat -> long when close[t] > max(high[t-lookback .. t-1]); long -> flat when
 * close[t] < min(low[t-exit_lookback .. t-1]). First possible signal on candle lookback+1.
 */
export class MomentumBreakoutStrategy implements Strategy {
  readonly warmup: number;
  private readonly highest: RollingExtreme;
  private readonly lowest: RollingExtreme;
  private readonly intent = new PositionIntent();
  private seen = 0;
  private channelHigh = Number.NaN;
  private channelLow = Number.NaN;

  constructor(private readonly p: MomentumBreakoutParams) {
    this.highest = new RollingExtreme(p.lookback, 'max');
    this.lowest = new RollingExtreme(p.exit_lookback, 'min');
    this.warmup = p.lookback + 1;
  }

  assumePosition(target: TargetPosition): void {
    this.intent.assume(target);
  }

  onCandle(candle: Candle): StrategySignal | null {
    const entryReady = this.seen >= this.p.lookback;
    const exitReady = this.seen >= this.p.exit_lookback;
    const high = this.channelHigh;
    const low = this.channelLow;
    this.seen++;
    this.channelHigh = this.highest.update(candle.high);
    this.channelLow = this.lowest.update(candle.low);
    const indicators = { channel_high: entryReady ? indicatorValue(high) : null, channel_low: exitReady ? indicatorValue(low) : null };
    if (this.intent.position === 'flat') {
      if (entryReady && candle.close > high) {
        return this.intent.want('long', `close broke above the ${this.p.lookback}-bar high`, indicators);
      }
      return null;
    }
    if (exitReady && candle.close < low) {
      return this.intent.want('flat', `close fell below the ${this.p.exit_lookback}-bar low`, indicators);
    }
    return null;
  }
}

export const momentumBreakout = defineStrategy({
  name: 'momentum_breakout',
  description: 'Donchian breakout: buy a close above the highest high of the last `lookback` bars; sell a close below the lowest low of the last `exit_lookback` bars.',
  params: MomentumBreakoutParams,
  warmup: (p) => p.lookback + 1,
  create: (p) => new MomentumBreakoutStrategy(p),
});
