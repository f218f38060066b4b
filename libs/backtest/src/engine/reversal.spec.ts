import { runBacktest } from './backtest.engine';
import { toBacktestJson } from './backtest-json';
import { ScriptedStrategy, at, dailyCandles } from './__fixtures__/scripted-strategy';

describe('backtest: reversal long -> short at one price, commission 0.1 %, lot 0.01', () => {
  const candles = dailyCandles([
    [100, 101, 99, 100], // long decided
    [100, 111, 99, 110], // buy at 100; short decided
    [120, 121, 114, 115], // sell 9.99 at 120, then short 9.97 at 120
    [115, 116, 99, 100], // flat decided
    [100, 102, 98, 101], // buy back 9.97 at 100
  ]);
  const run = runBacktest(candles, new ScriptedStrategy({ 0: 'long', 1: 'short', 3: 'flat' }), {
    cash: 1000,
    commission: '0.001',
    lot: '0.01',
  });
  const json = toBacktestJson(run);

  it('closes the long and opens the short sized from the equity after the close', () => {
    // Long: 1000 / (100 * 1.001) = 9.99000... -> 9.99; notional 999, fee 0.999, cash 0.001.
    // Close at 120: notional 1198.8, fee 1.1988; pnl 199.8 - 0.999 - 1.1988 = 197.6022; cash 1197.6022.
    // Short: 1197.6022 / 120.12 = 9.97005 -> 9.97; notional 1196.4, fee 1.1964; cash 2392.8058.
    // Cover at 100: notional 997, fee 0.997; pnl 199.4 - 1.1964 - 0.997 = 197.2066; cash 1394.8088.
    expect(json.trades).toEqual([
      { side: 'long', qty: 9.99, entryTime: at(1), entryPrice: 100, exitTime: at(2), exitPrice: 120, pnl: 197.6022, returnPct: 19.78, commission: 2.1978, exitReason: 'reversal' },
      {
        side: 'short',
        qty: 9.97,
        entryTime: at(2),
        entryPrice: 120,
        exitTime: at(4),
        exitPrice: 100,
        pnl: 197.2066,
        returnPct: expect.closeTo((197.2066 / 1196.4) * 100, 10),
        commission: 2.1934,
        exitReason: 'signal',
      },
    ]);
    expect(run.finalCash.toString()).toBe('1394.8088');
    expect(run.commissions.toString()).toBe('4.3912');
  });

  it('marks the short position at the close', () => {
    // day 2: 2392.8058 - 9.97 * 115 = 1246.2558 ; day 3: 2392.8058 - 997 = 1395.8058
    expect(json.equity.map((p) => p.equity)).toEqual([1000, 1098.901, expect.closeTo(1246.2558, 9), expect.closeTo(1395.8058, 9), 1394.8088]);
    expect(json.stats.trades).toBe(2);
    expect(json.stats.winRatePct).toBe(100);
  });
});
