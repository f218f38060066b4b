import { runBacktest } from './backtest.engine';
import { ScriptedStrategy, dailyCandles } from './__fixtures__/scripted-strategy';

describe('backtest: quantities are whole lots that fit the equity', () => {
  const candles = dailyCandles([
    [300, 300, 300, 300],
    [300, 310, 290, 305],
    [305, 306, 300, 302],
  ]);

  it('rounds down to the lot step', () => {
    // 1000 / 300 = 3.33 -> 3.0 with lot 0.5 (3.5 * 300 = 1050 does not fit)
    const run = runBacktest(candles, new ScriptedStrategy({ 0: 'long' }), { cash: 1000, lot: '0.5' });
    expect(run.openPosition!.qty.toString()).toBe('3');
    expect(run.finalCash.toString()).toBe('100');
  });

  it('keeps the default step of 1e-8', () => {
    // 1000 / 300 = 3.333333333... -> 3.33333333
    const run = runBacktest(candles, new ScriptedStrategy({ 0: 'long' }), { cash: 1000 });
    expect(run.openPosition!.qty.toString()).toBe('3.33333333');
    expect(run.finalCash.toString()).toBe('0.000001');
  });

  it('skips and counts an order smaller than one lot', () => {
    const run = runBacktest(candles, new ScriptedStrategy({ 0: 'long' }), { cash: 250, lot: 1 });
    expect(run.openPosition).toBeNull();
    expect(run.trades).toEqual([]);
    expect(run.skippedOrders).toBe(1);
    expect(run.finalCash.toString()).toBe('250');
  });

  it('sizes a fixed quote amount and a fraction of equity', () => {
    const fixed = runBacktest(candles, new ScriptedStrategy({ 0: 'long' }), { cash: 1000, lot: 1, sizing: { mode: 'fixed', amount: 700 } });
    expect(fixed.openPosition!.qty.toString()).toBe('2');
    const half = runBacktest(candles, new ScriptedStrategy({ 0: 'short' }), { cash: 1000, lot: '0.1', sizing: { mode: 'fraction', fraction: '0.5' } });
    expect(half.openPosition!.qty.toString()).toBe('1.6'); // 500 / 300 = 1.67 -> 1.6
    expect(half.openPosition!.side).toBe('short');
  });

  it('sizes risk-per-trade from the stop distance', () => {
    // risk 1 % of 1000 = 10 over a 5 % stop -> 200 notional -> 0.66666666 at 300
    const run = runBacktest(candles, new ScriptedStrategy({ 0: 'long' }), { cash: 1000, stopLossPct: 5, sizing: { mode: 'risk', riskFraction: '0.01' } });
    expect(run.openPosition!.qty.toString()).toBe('0.66666666');
    expect(() => runBacktest(candles, new ScriptedStrategy({}), { sizing: { mode: 'risk', riskFraction: '0.01' } })).toThrow(/stop-loss/);
  });
});
