import { runBacktest } from './backtest.engine';
import { ScriptedStrategy, dailyCandles } from './__fixtures__/scripted-strategy';

describe('backtest: warm-up candles', () => {
  const candles = dailyCandles([
    [100, 100, 100, 100], // warm-up: long wanted here
    [80, 80, 80, 80], // warm-up
    [90, 95, 89, 94], // first traded candle: enters at its open, 90
    [94, 100, 93, 99],
  ]);

  it('feeds the strategy without trading, then enters the wanted position at the first traded open', () => {
    const strategy = new ScriptedStrategy({ 0: 'long' });
    const run = runBacktest(candles, strategy, { cash: 900, warmupCandles: 2 });
    expect(strategy.seen).toHaveLength(4);
    expect(run.openPosition!.entryPrice.toString()).toBe('90');
    expect(run.openPosition!.qty.toString()).toBe('10');
    expect(Array.from(run.equity)).toEqual([940, 990]);
    expect(run.firstClose).toBe(94);
  });
});
