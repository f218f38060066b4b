import { Candle, Strategy, StrategySignal, TargetPosition } from './strategy';

/**
 * Wraps a strategy so it only ever receives candles in strictly increasing time order, each
 * handed over as a frozen copy: a strategy cannot be fed the same or an earlier candle twice,
 * and cannot keep a reference through which a caller's later mutation would leak in.
 */
export class OrderedCandlesGuard implements Strategy {
  private lastTime = -Infinity;

  constructor(private readonly inner: Strategy) {}

  get warmup(): number {
    return this.inner.warmup;
  }

  assumePosition(target: TargetPosition): void {
    this.inner.assumePosition?.(target);
  }

  onCandle(candle: Candle): StrategySignal | null {
    if (!(candle.time > this.lastTime)) {
      throw new Error(
        `candle at ${new Date(candle.time).toISOString()} is not after the previous one (${new Date(this.lastTime).toISOString()})`,
      );
    }
    this.lastTime = candle.time;
    const copy: Candle = Object.freeze({
      time: candle.time,
      open: candle.open,
      high: candle.high,
      low: candle.low,
      close: candle.close,
      volume: candle.volume,
    });
    return this.inner.onCandle(copy);
  }
}
