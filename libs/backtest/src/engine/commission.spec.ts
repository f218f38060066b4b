import { runBacktest } from './backtest.engine';
import { toBacktestJson } from './backtest-json';
import { ScriptedStrategy, dailyCandles } from './__fixtures__/scripted-strategy';

describe('backtest: commission and fixed fee on entry and on exit', () => {
  const candles = dailyCandles([
    [50, 50, 50, 50],
    [50, 61, 49, 58],
    [60, 61, 59, 60],
  ]);
  const run = runBacktest(candles, new ScriptedStrategy({ 0: 'long', 1: 'flat' }), {
    cash: 1000,
    commission: '0.01',
    fixedFee: 1,
    lot: 1,
  });

  it('charges rate * notional + fixed on both legs', () => {
    // qty: (1000 - 1) / (50 * 1.01) = 19.78 -> 19; entry: notional 950, fee 9.5 + 1 = 10.5
    // exit at 60: notional 1140, fee 11.4 + 1 = 12.4; pnl 190 - 10.5 - 12.4 = 167.1
    const [trade] = run.trades;
    expect(trade.qty.toString()).toBe('19');
    expect(trade.commission.toString()).toBe('22.9');
    expect(trade.pnl.toString()).toBe('167.1');
    expect(trade.returnPct.toFixed(6)).toBe('17.589474'); // 167.1 / 950
    expect(run.finalCash.toString()).toBe('1167.1'); // 1000 - 960.5 + 1140 - 12.4
    expect(toBacktestJson(run).stats.commissions).toBe(22.9);
  });

  it('charges a different taker rate when maker and taker differ', () => {
    const taker = runBacktest(candles, new ScriptedStrategy({ 0: 'long', 1: 'flat' }), { cash: 1000, makerCommission: 0, takerCommission: '0.002', lot: 1 });
    // 1000 / 50.1 = 19.96 -> 19; fees 950 * 0.002 = 1.9 and 1140 * 0.002 = 2.28
    expect(taker.trades[0].commission.toString()).toBe('4.18');
  });
});
