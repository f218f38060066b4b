import { runBacktest } from './backtest.engine';
import { toBacktestJson } from './backtest-json';
import { ScriptedStrategy, at, dailyCandles } from './__fixtures__/scripted-strategy';

describe('backtest: a gap through the stop-loss fills at the open', () => {
  const candles = dailyCandles([
    [100, 100, 100, 100],
    [100, 104, 97, 102], // bought 10 at 100; stop 95 not reached (low 97)
    [90, 93, 88, 92], // opens at 90, below the stop: exit at 90, not 95
    [92, 99, 91, 98],
  ]);
  const run = runBacktest(candles, new ScriptedStrategy({ 0: 'long' }), { cash: 1000, stopLossPct: 5 });

  it('exits at the open with the gap loss', () => {
    expect(toBacktestJson(run).trades).toEqual([
      { side: 'long', qty: 10, entryTime: at(1), entryPrice: 100, exitTime: at(2), exitPrice: 90, pnl: -100, returnPct: -10, commission: 0, exitReason: 'stop-loss' },
    ]);
    expect(run.openPosition).toBeNull();
    expect(Array.from(run.equity)).toEqual([1000, 1020, 900, 900]);
  });

  it('exits at the stop itself when the range reaches it without a gap, with slippage', () => {
    const inside = dailyCandles([
      [100, 100, 100, 100],
      [100, 104, 97, 102],
      [99, 100, 94, 96],
    ]);
    const r = runBacktest(inside, new ScriptedStrategy({ 0: 'long' }), { cash: 1000, stopLossPct: 5, slippageBps: 10 });
    // entry 100 * 1.001 = 100.1, qty 1000 / 100.1 -> 9.99000999; stop 100.1 * 0.95 = 95.095; exit 95.095 * 0.999
    expect(r.trades[0].entryPrice.toString()).toBe('100.1');
    expect(r.trades[0].exitPrice.toString()).toBe('94.999905');
    expect(r.trades[0].exitReason).toBe('stop-loss');
  });
});
