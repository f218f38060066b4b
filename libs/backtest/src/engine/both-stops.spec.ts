import { runBacktest } from './backtest.engine';
import { ScriptedStrategy, dailyCandles } from './__fixtures__/scripted-strategy';

describe('backtest: stop-loss and take-profit both inside one candle', () => {
  it('assumes the stop (worse) for a long', () => {
    const candles = dailyCandles([
      [100, 100, 100, 100],
      [100, 112, 94, 105], // stop 95 and target 110 both inside the range
      [105, 106, 104, 105],
    ]);
    const run = runBacktest(candles, new ScriptedStrategy({ 0: 'long' }), { cash: 1000, stopLossPct: 5, takeProfitPct: 10 });
    expect(run.trades).toHaveLength(1);
    expect(run.trades[0].exitReason).toBe('stop-loss');
    expect(run.trades[0].exitPrice.toString()).toBe('95');
    expect(run.trades[0].pnl.toString()).toBe('-50');
  });

  it('assumes the stop (worse) for a short', () => {
    const candles = dailyCandles([
      [100, 100, 100, 100],
      [100, 106, 89, 95], // stop 105 and target 90 both inside
    ]);
    const run = runBacktest(candles, new ScriptedStrategy({ 0: 'short' }), { cash: 1000, stopLossPct: 5, takeProfitPct: 10 });
    expect(run.trades[0].exitReason).toBe('stop-loss');
    expect(run.trades[0].exitPrice.toString()).toBe('105');
    expect(run.trades[0].pnl.toString()).toBe('-50');
    expect(run.equity[1]).toBe(950);
  });

  it('takes the profit when only the target is reached, and trails a stop behind the high', () => {
    const candles = dailyCandles([
      [100, 100, 100, 100],
      [100, 120, 95, 118], // entry candle: trail from 100 -> level 90, not hit; high 120 now counts
      [115, 116, 107, 110], // level 120 * 0.9 = 108, low 107 -> exit at 108
    ]);
    const run = runBacktest(candles, new ScriptedStrategy({ 0: 'long' }), { cash: 1000, trailingStopPct: 10 });
    expect(run.trades[0].exitReason).toBe('trailing-stop');
    expect(run.trades[0].exitPrice.toString()).toBe('108');

    const tp = runBacktest(candles, new ScriptedStrategy({ 0: 'long' }), { cash: 1000, takeProfitPct: 15 });
    expect(tp.trades[0].exitReason).toBe('take-profit');
    expect(tp.trades[0].exitPrice.toString()).toBe('115');
  });
});
