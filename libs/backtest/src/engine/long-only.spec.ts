import { runBacktest } from './backtest.engine';
import { toBacktestJson } from './backtest-json';
import { ScriptedStrategy, at, dailyCandles } from './__fixtures__/scripted-strategy';

describe('backtest: one long trade, no costs', () => {
  // Long decided on day 0's close, filled at day 1's open (100); flat decided on day 3, filled
  // at day 4's open (120). 1000 cash buys 10 units: pnl 10 * (120 - 100) = 200, +20 %.
  const candles = dailyCandles([
    [100, 101, 99, 100],
    [100, 111, 99, 110],
    [110, 111, 98, 99],
    [99, 121, 98, 120],
    [120, 121, 115, 118],
  ]);
  const run = runBacktest(candles, new ScriptedStrategy({ 0: 'long', 3: 'flat' }), { cash: 1000 });
  const json = toBacktestJson(run);

  it('fills at the next open and lists the trade exactly', () => {
    expect(json.trades).toEqual([
      {
        side: 'long',
        qty: 10,
        entryTime: at(1),
        entryPrice: 100,
        exitTime: at(4),
        exitPrice: 120,
        pnl: 200,
        returnPct: 20,
        commission: 0,
        exitReason: 'signal',
      },
    ]);
    expect(run.finalCash.toString()).toBe('1200');
    expect(json.openPosition).toBeNull();
  });

  it('marks equity to every close', () => {
    // day 0 flat 1000; day 1 10*110; day 2 10*99; day 3 10*120; day 4 back in cash
    expect(json.equity.map((p) => p.equity)).toEqual([1000, 1100, 990, 1200, 1200]);
    expect(json.equity[0].time).toBe('2024-01-01T00:00:00.000Z');
  });

  it('derives the statistics', () => {
    const s = json.stats;
    expect(s.trades).toBe(1);
    expect(s.equityFinal).toBe(1200);
    expect(s.equityPeak).toBe(1200);
    expect(s.returnPct).toBeCloseTo(20, 10);
    expect(s.buyHoldReturnPct).toBeCloseTo(18, 10); // 118 / 100 - 1
    expect(s.exposurePct).toBe(60); // in the market at the close of days 1, 2, 3
    expect(s.maxDrawdownPct).toBeCloseTo(-10, 10); // 990 / 1100 - 1
    expect(s.maxDrawdownDurationDays).toBe(2); // peak on day 1, regained on day 3
    expect(s.avgDrawdownPct).toBeCloseTo(-10, 10);
    expect(s.winRatePct).toBe(100);
    expect(s.bestTradePct).toBe(20);
    expect(s.worstTradePct).toBe(20);
    expect(s.avgTradePct).toBeCloseTo(20, 10);
    expect(s.expectancyPct).toBe(20);
    expect(s.profitFactor).toBeNull(); // no losing trade
    expect(s.avgTradeDurationDays).toBe(3);
    expect(s.commissions).toBe(0);
    expect(s.returnsBasis).toBe('daily');
    // daily returns 0, 0.1, -0.1, 0.212121..., 0: mean 0.042424..., sample stdev 0.118317...
    expect(s.sharpe).toBeCloseTo((0.0424242424 / 0.1183177) * Math.sqrt(365), 3);
    expect(json.daily.map((d) => d.period)).toEqual(['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05']);
    expect(json.monthly).toEqual([{ period: '2024-01', equity: 1200, returnPct: expect.closeTo(20, 10) }]);
  });
});
