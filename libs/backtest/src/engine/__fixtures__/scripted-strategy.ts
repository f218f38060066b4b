import type { Candle, Strategy, StrategySignal, TargetPosition } from '@trading/strategies';
import type { BacktestCandle } from '../backtest.types';

/** A strategy that asks for the given target after the candle with that index. */
export class ScriptedStrategy implements Strategy {
  readonly warmup = 0;
  readonly seen: number[] = [];
  private index = -1;

  constructor(private readonly script: Record<number, TargetPosition>) {}

  onCandle(candle: Candle): StrategySignal | null {
    this.index++;
    this.seen.push(candle.time);
    const target = this.script[this.index];
    return target ? { target, reason: `scripted at ${this.index}`, indicators: {} } : null;
  }
}

export const DAY = 86_400_000;
export const T0 = Date.UTC(2024, 0, 1);

/** Daily candles from [open, high, low, close] rows, volume 1000, starting 2024-01-01. */
export function dailyCandles(rows: ReadonlyArray<readonly [number, number, number, number]>): BacktestCandle[] {
  return rows.map(([open, high, low, close], i) => ({ time: T0 + i * DAY, open, high, low, close, volume: 1000 }));
}

export const at = (day: number): string => new Date(T0 + day * DAY).toISOString();
