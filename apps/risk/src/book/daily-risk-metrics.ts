import Decimal from 'decimal.js';
import type { DailyRiskMetrics } from '../risk-metrics/risk-metrics.repository';
import { BotAccount, equityOf } from './bot-account';
import { positionValue } from './measures';

/** A value that does not fit its NUMERIC(precision, scale) column is clamped to null (or the fallback) instead of failing the event. */
function fit(value: Decimal, precision: number, scale: number): string | null {
  if (!value.isFinite()) return null;
  const rounded = value.toDecimalPlaces(scale);
  return rounded.abs().lt(new Decimal(10).pow(precision - scale)) ? rounded.toFixed(scale) : null;
}

/**
 * A bot's risk_metrics row for its current UTC day, from the account: P&L against the day's starting equity, the
 * day's closing fills, and drawdown against the equity peak (max_drawdown_pct keeps the day's worst, given the
 * previously stored value).
 */
export function dailyRiskMetrics(account: BotAccount, previousMaxDrawdownPct: Decimal | null): DailyRiskMetrics {
  const equity = equityOf(account);
  const start = account.dayStartEquity;
  const pnl = equity.minus(start);
  const s = account.dayStats;
  const closed = s.wins + s.losses;
  const drawdown = Decimal.max(0, account.peakEquity.minus(equity));
  const drawdownPct = account.peakEquity.gt(0) ? drawdown.div(account.peakEquity).times(100) : new Decimal(0);
  const maxDrawdownPct = previousMaxDrawdownPct ? Decimal.max(previousMaxDrawdownPct, drawdownPct) : drawdownPct;
  let exposure = new Decimal(0);
  for (const p of account.positions.values()) exposure = exposure.plus(positionValue(p));
  return {
    botId: account.botId,
    userId: account.userId,
    date: account.day,
    startingEquity: start.toFixed(8),
    endingEquity: equity.toFixed(8),
    dailyPnl: pnl.toFixed(8),
    dailyPnlPct: (start.gt(0) ? fit(pnl.div(start).times(100), 10, 6) : null) ?? '0',
    dailyReturn: (start.gt(0) ? fit(pnl.div(start), 10, 6) : null) ?? '0',
    totalTrades: account.dayTrades,
    winningTrades: s.wins,
    losingTrades: s.losses,
    breakevenTrades: 0,
    winRate: closed ? new Decimal(s.wins).div(closed).toFixed(4) : '0',
    grossProfit: s.grossProfit.toFixed(8),
    grossLoss: s.grossLoss.toFixed(8),
    netProfit: s.grossProfit.plus(s.grossLoss).toFixed(8),
    profitFactor: (s.grossLoss.lt(0) ? fit(s.grossProfit.div(s.grossLoss.abs()), 10, 4) : null) ?? '0',
    avgWin: s.wins ? s.grossProfit.div(s.wins).toFixed(8) : '0',
    avgLoss: s.losses ? s.grossLoss.div(s.losses).toFixed(8) : '0',
    largestWin: s.largestWin.toFixed(8),
    largestLoss: s.largestLoss.toFixed(8),
    maxDrawdown: fit(drawdown, 10, 4) ?? '0',
    maxDrawdownPct: fit(maxDrawdownPct, 10, 6) ?? '0',
    currentDrawdown: fit(drawdownPct, 10, 4) ?? '0',
    maxExposure: fit(exposure, 20, 8),
    maxLeverage: equity.gt(0) ? fit(exposure.div(equity), 10, 4) : null,
  };
}
