import Decimal from 'decimal.js';
import { ClosedTrade, dailyEquity, performanceFigures } from './performance-math';

const t = (pnl: string, at: string): ClosedTrade => ({ realizedPnl: new Decimal(pnl), executedAt: new Date(at) });

/**
 * Worked by hand, starting equity 1 000, six fills over three days:
 *   day 1: open (0), +100, -50          -> end of day 1 050
 *   day 2: +200                         -> 1 250
 *   day 3: -150, open (0)               -> 1 100
 * closing fills: 3 wins? no: +100, +200 win; -50, -150 lose -> 2 wins, 2 losses, win rate 50 %
 * gross profit 300, gross loss -200: profit factor 1.5, avg win 150, avg loss -100, expectancy 100 / 4 = 25
 * equity after each fill: 1000, 1100, 1050, 1250, 1100, 1100; worst drop from a peak: 1250 -> 1100 = 12 %
 * daily returns: 1050/1000-1 = 0.05, 1250/1050-1 = 0.19047619..., 1100/1250-1 = -0.12
 */
const TRADES = [
  t('0', '2026-01-01T01:00:00Z'),
  t('100', '2026-01-01T02:00:00Z'),
  t('-50', '2026-01-01T03:00:00Z'),
  t('200', '2026-01-02T10:00:00Z'),
  t('-150', '2026-01-03T10:00:00Z'),
  t('0', '2026-01-03T11:00:00Z'),
];

describe('performance figures', () => {
  const f = performanceFigures(TRADES, new Decimal(1000));

  it('counts, win rate, averages, profit factor and expectancy', () => {
    expect({ trades: f.totalTrades, wins: f.winningTrades, losses: f.losingTrades }).toEqual({ trades: 6, wins: 2, losses: 2 });
    expect(f.winRate!.toFixed()).toBe('50');
    expect(f.avgWin!.toFixed()).toBe('150');
    expect(f.avgLoss!.toFixed()).toBe('-100');
    expect(f.profitFactor!.toFixed()).toBe('1.5');
    expect(f.expectancy!.toFixed()).toBe('25');
    expect(f.totalPnl.toFixed()).toBe('100');
    expect(f.totalReturn!.toFixed()).toBe('10');
  });

  it('max drawdown from the running peak', () => {
    expect(f.maxDrawdown.toFixed()).toBe('12');
  });

  it('daily equity and the annualized Sharpe, Sortino and Calmar ratios', () => {
    expect(dailyEquity(TRADES, new Decimal(1000)).map((e) => e.toFixed())).toEqual(['1050', '1250', '1100']);
    // mean = (0.05 + 0.19047619 - 0.12) / 3 = 0.04015873; sample sd = sqrt(0.04834301 / 2) = 0.15547188
    // Sharpe = 0.04015873 / 0.15547188 x sqrt(365) (19.10497317) = 4.9349
    expect(f.sharpeRatio!.toDecimalPlaces(4).toFixed()).toBe('4.9349');
    // downside deviation = sqrt(0.12^2 / 3) = 0.06928203; Sortino = 0.04015873 / 0.06928203 x 19.10497317 = 11.0740
    expect(f.sortinoRatio!.toDecimalPlaces(4).toFixed()).toBe('11.074');
    // Calmar = 0.04015873 x 365 x 100 / 12 = 122.1495
    expect(f.calmarRatio!.toDecimalPlaces(4).toFixed()).toBe('122.1495');
  });

  it('has no ratios without losing days or closed trades', () => {
    const none = performanceFigures([t('0', '2026-01-01T00:00:00Z')], new Decimal(1000));
    expect(none).toMatchObject({ winRate: null, profitFactor: null, expectancy: null, sharpeRatio: null, calmarRatio: null });
    expect(none.maxDrawdown.toFixed()).toBe('0');
  });
});
