import Decimal from 'decimal.js';

export interface ClosedTrade {
  /** Realized P&L of the fill, net of fees; 0 for a fill that opened or grew a position. */
  readonly realizedPnl: Decimal;
  readonly executedAt: Date;
}

export interface PerformanceFigures {
  readonly totalTrades: number;
  readonly winningTrades: number;
  readonly losingTrades: number;
  /** Percent of closing fills that won. */
  readonly winRate: Decimal | null;
  readonly avgWin: Decimal | null;
  /** Average losing fill, negative. */
  readonly avgLoss: Decimal | null;
  readonly profitFactor: Decimal | null;
  readonly expectancy: Decimal | null;
  readonly totalPnl: Decimal;
  /** Percent below the running equity peak, at worst. */
  readonly maxDrawdown: Decimal;
  readonly sharpeRatio: Decimal | null;
  readonly sortinoRatio: Decimal | null;
  readonly calmarRatio: Decimal | null;
  /** Percent of the starting equity. */
  readonly totalReturn: Decimal | null;
}

const ZERO = new Decimal(0);
const HUNDRED = new Decimal(100);
/** Crypto trades every day of the year. */
export const PERIODS_PER_YEAR = 365;

/** End-of-day (UTC) equity for every day from the first trade's to the last trade's, realized P&L only. */
export function dailyEquity(trades: readonly ClosedTrade[], startingEquity: Decimal): Decimal[] {
  const day = (d: Date) => Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  const byDay = new Map<number, Decimal>();
  for (const t of trades) byDay.set(day(t.executedAt), (byDay.get(day(t.executedAt)) ?? new Decimal(0)).plus(t.realizedPnl));
  if (byDay.size === 0) return [];
  const days = [...byDay.keys()];
  const first = Math.min(...days);
  const last = Math.max(...days);
  const out: Decimal[] = [];
  let equity = startingEquity;
  for (let d = first; d <= last; d += 86_400_000) {
    equity = equity.plus(byDay.get(d) ?? 0);
    out.push(equity);
  }
  return out;
}

/**
 * The formulas documented in apps/analytics/README.md ("Performance metrics"). Counts and P&L sums are exact
 * decimals; ratios are rounded by the columns that store them.
 */
export function performanceFigures(trades: readonly ClosedTrade[], startingEquity: Decimal): PerformanceFigures {
  const sorted = [...trades].sort((a, b) => a.executedAt.getTime() - b.executedAt.getTime());
  let grossProfit = ZERO;
  let grossLoss = ZERO;
  let wins = 0;
  let losses = 0;
  let equity = startingEquity;
  let peak = startingEquity;
  let maxDrawdown = ZERO;
  for (const t of sorted) {
    if (t.realizedPnl.gt(0)) {
      wins++;
      grossProfit = grossProfit.plus(t.realizedPnl);
    } else if (t.realizedPnl.lt(0)) {
      losses++;
      grossLoss = grossLoss.plus(t.realizedPnl);
    }
    equity = equity.plus(t.realizedPnl);
    if (equity.gt(peak)) peak = equity;
    if (peak.gt(0)) maxDrawdown = Decimal.max(maxDrawdown, peak.minus(equity).div(peak).times(HUNDRED));
  }
  const closed = wins + losses;
  const totalPnl = grossProfit.plus(grossLoss);
  const returns = dailyReturns(dailyEquity(sorted, startingEquity), startingEquity);
  const meanReturn = returns.length ? returns.reduce((a, r) => a.plus(r), ZERO).div(returns.length) : null;
  const annualize = new Decimal(PERIODS_PER_YEAR).sqrt();
  let sharpe: Decimal | null = null;
  let sortino: Decimal | null = null;
  if (meanReturn && returns.length >= 2) {
    const variance = returns.reduce((a, r) => a.plus(r.minus(meanReturn).pow(2)), ZERO).div(returns.length - 1);
    if (variance.gt(0)) sharpe = meanReturn.div(variance.sqrt()).times(annualize);
    const downside = returns.reduce((a, r) => (r.lt(0) ? a.plus(r.pow(2)) : a), ZERO).div(returns.length);
    if (downside.gt(0)) sortino = meanReturn.div(downside.sqrt()).times(annualize);
  }
  const calmar = meanReturn && maxDrawdown.gt(0) ? meanReturn.times(PERIODS_PER_YEAR).times(HUNDRED).div(maxDrawdown) : null;
  return {
    totalTrades: sorted.length,
    winningTrades: wins,
    losingTrades: losses,
    winRate: closed ? new Decimal(wins).div(closed).times(HUNDRED) : null,
    avgWin: wins ? grossProfit.div(wins) : null,
    avgLoss: losses ? grossLoss.div(losses) : null,
    profitFactor: losses ? grossProfit.div(grossLoss.abs()) : null,
    expectancy: closed ? totalPnl.div(closed) : null,
    totalPnl,
    maxDrawdown,
    sharpeRatio: sharpe,
    sortinoRatio: sortino,
    calmarRatio: calmar,
    totalReturn: startingEquity.gt(0) ? equity.minus(startingEquity).div(startingEquity).times(HUNDRED) : null,
  };
}

/** Simple daily returns: the first day against the starting equity, then day over day. */
export function dailyReturns(endOfDay: readonly Decimal[], startingEquity: Decimal): Decimal[] {
  const out: Decimal[] = [];
  let previous = startingEquity;
  for (const e of endOfDay) {
    if (previous.gt(0)) out.push(e.div(previous).minus(1));
    previous = e;
  }
  return out;
}
