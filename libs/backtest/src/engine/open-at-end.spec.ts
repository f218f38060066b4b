import { runBacktest } from './backtest.engine';
import { toBacktestJson } from './backtest-json';
import { ScriptedStrategy, at, dailyCandles } from './__fixtures__/scripted-strategy';

describe('backtest: a position still open at the end', () => {
  const candles = dailyCandles([
    [100, 100, 100, 100],
    [100, 110, 99, 110],
    [110, 121, 109, 120],
  ]);
  const run = runBacktest(candles, new ScriptedStrategy({ 0: 'long', 2: 'flat' }), { cash: 1000, commission: '0.001', lot: 1 });
  const json = toBacktestJson(run);

  it('stays open, marked to the last close, reported apart from the closed trades', () => {
    // 1000 / 100.1 -> 9 units; fee 0.9; cash 99.1; marked 99.1 + 9 * 120 = 1179.1
    expect(json.openPosition).toEqual({ side: 'long', qty: 9, entryTime: at(1), entryPrice: 100, entryCommission: 0.9, unrealizedPnl: 179.1 });
    expect(json.trades).toEqual([]);
    expect(json.stats.trades).toBe(0);
    expect(json.stats.winRatePct).toBeNull();
    expect(json.stats.equityFinal).toBeCloseTo(1179.1, 9);
    expect(json.stats.commissions).toBe(0.9);
  });

  it('drops the order decided on the last candle (no next open to fill it)', () => {
    expect(run.unfilledAtEnd).toBe(true);
  });
});
