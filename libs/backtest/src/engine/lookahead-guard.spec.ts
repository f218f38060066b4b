import type { Candle, Strategy, StrategySignal } from '@trading/strategies';
import { runBacktest } from './backtest.engine';
import { ScriptedStrategy, dailyCandles } from './__fixtures__/scripted-strategy';

const candles = dailyCandles([
  [100, 101, 99, 100],
  [50, 51, 49, 50],
  [200, 201, 199, 200],
]);

/** Tries every channel the engine offers to see past the candle it is given. */
class PeekingStrategy implements Strategy {
  readonly warmup = 0;
  readonly observed: { argCount: number; keys: string[]; time: number }[] = [];

  onCandle(candle: Candle, ...rest: unknown[]): StrategySignal | null {
    this.observed.push({ argCount: 1 + rest.length, keys: Object.keys(candle), time: candle.time });
    return null;
  }
}

describe('backtest: lookahead guard', () => {
  it('hands the strategy one closed candle at a time and nothing else', () => {
    const peeker = new PeekingStrategy();
    runBacktest(candles, peeker);
    expect(peeker.observed.map((o) => o.time)).toEqual(candles.map((c) => c.time));
    for (const o of peeker.observed) {
      expect(o.argCount).toBe(1);
      expect(o.keys.sort()).toEqual(['close', 'high', 'low', 'open', 'time', 'volume']);
    }
  });

  it('never fills a decision at a price the strategy could not have known (same candle open)', () => {
    // long decided after day 0 closes: filled at day 1's open (50), not day 0's open or close (100)
    const run = runBacktest(candles, new ScriptedStrategy({ 0: 'long' }), { cash: 1000 });
    expect(run.openPosition!.entryPrice.toString()).toBe('50');
    expect(run.openPosition!.entryTime).toBe(candles[1].time);
  });

  it('with fill=close, fills at the deciding candle close', () => {
    const run = runBacktest(candles, new ScriptedStrategy({ 1: 'long' }), { cash: 1000, fill: 'close' });
    expect(run.openPosition!.entryPrice.toString()).toBe('50');
    expect(run.openPosition!.entryTime).toBe(candles[1].time);
  });

  it('fails loudly on unordered or duplicated candles (a sort bug would leak the future)', () => {
    const shuffled = [candles[0], candles[2], candles[1]];
    expect(() => runBacktest(shuffled, new ScriptedStrategy({}))).toThrow(/strictly ascending/);
    expect(() => runBacktest([candles[0], candles[0]], new ScriptedStrategy({}))).toThrow(/strictly ascending/);
  });

  it('fails loudly on an unknown target', () => {
    const bad: Strategy = { warmup: 0, onCandle: () => ({ target: 'moon' as never, reason: '', indicators: {} }) };
    expect(() => runBacktest(candles, bad)).toThrow(/unknown target "moon"/);
  });
});
