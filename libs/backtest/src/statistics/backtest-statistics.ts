import type { BacktestRun, ClosedTrade } from '../engine/backtest.types';

const DAY_MS = 86_400_000;

export interface PeriodResult {
  /** `YYYY-MM-DD` for days, `YYYY-MM` for months (UTC). */
  readonly period: string;
  /** Equity at the last candle of the period. */
  readonly equity: number;
  readonly returnPct: number;
}

/** Every figure is defined in libs/backtest/README.md; null where it is undefined (e.g. no trades). */
export interface BacktestStatistics {
  readonly start: string;
  readonly end: string;
  readonly durationDays: number;
  readonly candles: number;
  readonly exposurePct: number;
  readonly equityFinal: number;
  readonly equityPeak: number;
  readonly returnPct: number;
  readonly buyHoldReturnPct: number;
  readonly annualReturnPct: number | null;
  readonly annualVolatilityPct: number | null;
  readonly cagrPct: number | null;
  readonly sharpe: number | null;
  readonly sortino: number | null;
  readonly calmar: number | null;
  readonly maxDrawdownPct: number;
  readonly maxDrawdownDurationDays: number;
  readonly avgDrawdownPct: number;
  readonly avgDrawdownDurationDays: number;
  readonly trades: number;
  readonly winRatePct: number | null;
  readonly bestTradePct: number | null;
  readonly worstTradePct: number | null;
  readonly avgTradePct: number | null;
  readonly avgTradeDurationDays: number | null;
  readonly maxTradeDurationDays: number | null;
  readonly profitFactor: number | null;
  readonly expectancyPct: number | null;
  readonly expectancy: number | null;
  readonly sqn: number | null;
  readonly commissions: number;
  readonly skippedOrders: number;
  /** Which returns the risk ratios use: `daily` or, for data shorter than 3 UTC days, `candle`. */
  readonly returnsBasis: 'daily' | 'candle';
}

export interface BacktestStatisticsWithPeriods extends BacktestStatistics {
  readonly daily: PeriodResult[];
  readonly monthly: PeriodResult[];
}

export function computeStatistics(run: BacktestRun, options: { periods?: boolean } = {}): BacktestStatistics | BacktestStatisticsWithPeriods {
  const { times, equity } = run;
  const n = equity.length;
  const initial = run.initialCash.toNumber();
  const final = equity[n - 1];
  const durationMs = times[n - 1] - times[0];
  const durationDays = durationMs / DAY_MS;

  const dd = drawdowns(times, equity, initial);
  const returns = periodReturns(times, equity, initial);
  const perYear = returns.basis === 'daily' ? run.daysPerYear : candlesPerYear(times, run.daysPerYear);
  const risk = riskFigures(returns.values, perYear);
  const years = durationDays / run.daysPerYear;
  const cagrPct = years > 0 && final > 0 ? (Math.pow(final / initial, 1 / years) - 1) * 100 : null;

  const stats: BacktestStatistics = {
    start: iso(times[0]),
    end: iso(times[n - 1]),
    durationDays,
    candles: n,
    exposurePct: (run.candlesInMarket / n) * 100,
    equityFinal: final,
    equityPeak: Math.max(dd.peak, initial),
    returnPct: (final / initial - 1) * 100,
    buyHoldReturnPct: (run.lastClose / run.firstClose - 1) * 100,
    annualReturnPct: risk.annualReturnPct,
    annualVolatilityPct: risk.annualVolatilityPct,
    cagrPct,
    sharpe: risk.sharpe,
    sortino: risk.sortino,
    calmar: risk.annualReturnPct !== null && dd.maxPct < 0 ? risk.annualReturnPct / -dd.maxPct : null,
    maxDrawdownPct: dd.maxPct,
    maxDrawdownDurationDays: dd.maxDurationMs / DAY_MS,
    avgDrawdownPct: dd.avgPct,
    avgDrawdownDurationDays: dd.avgDurationMs / DAY_MS,
    ...tradeFigures(run.trades),
    commissions: run.commissions.toNumber(),
    skippedOrders: run.skippedOrders,
    returnsBasis: returns.basis,
  };
  if (!options.periods) return stats;
  return { ...stats, daily: periodResults(times, equity, initial, dayKey), monthly: periodResults(times, equity, initial, monthKey) };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

interface Drawdowns {
  peak: number;
  maxPct: number;
  maxDurationMs: number;
  avgPct: number;
  avgDurationMs: number;
}

/**
 * Drawdown at t = equity_t / max(initial, equity_0..t) - 1. An episode runs from the last peak
 * until equity regains it (or the data ends); its depth is its lowest drawdown.
 */
function drawdowns(times: Float64Array, equity: Float64Array, initial: number): Drawdowns {
  let peak = initial;
  let peakTime = times[0];
  let maxPct = 0;
  let maxDurationMs = 0;
  let episodes = 0;
  let depthSum = 0;
  let durationSum = 0;
  let depth = 0;
  for (let i = 0; i < equity.length; i++) {
    const e = equity[i];
    if (e >= peak) {
      if (depth < 0) {
        episodes++;
        depthSum += depth;
        const d = times[i] - peakTime;
        durationSum += d;
        if (d > maxDurationMs) maxDurationMs = d;
        depth = 0;
      }
      peak = e;
      peakTime = times[i];
      continue;
    }
    const pct = (e / peak - 1) * 100;
    if (pct < depth) depth = pct;
    if (pct < maxPct) maxPct = pct;
  }
  if (depth < 0) {
    episodes++;
    depthSum += depth;
    const d = times[times.length - 1] - peakTime;
    durationSum += d;
    if (d > maxDurationMs) maxDurationMs = d;
  }
  return {
    peak,
    maxPct,
    maxDurationMs,
    avgPct: episodes ? depthSum / episodes : 0,
    avgDurationMs: episodes ? durationSum / episodes : 0,
  };
}

/** Daily returns from the equity at each UTC day's last candle (the first against the initial cash). */
function periodReturns(times: Float64Array, equity: Float64Array, initial: number): { basis: 'daily' | 'candle'; values: number[] } {
  const days = Math.floor(times[times.length - 1] / DAY_MS) - Math.floor(times[0] / DAY_MS) + 1;
  const values: number[] = [];
  if (days >= 3) {
    let prev = initial;
    for (let i = 0; i < equity.length; i++) {
      const last = i === equity.length - 1 || Math.floor(times[i + 1] / DAY_MS) !== Math.floor(times[i] / DAY_MS);
      if (!last) continue;
      values.push(equity[i] / prev - 1);
      prev = equity[i];
    }
    return { basis: 'daily', values };
  }
  let prev = initial;
  for (let i = 0; i < equity.length; i++) {
    values.push(equity[i] / prev - 1);
    prev = equity[i];
  }
  return { basis: 'candle', values };
}

function candlesPerYear(times: Float64Array, daysPerYear: number): number {
  if (times.length < 2) return daysPerYear;
  const step = (times[times.length - 1] - times[0]) / (times.length - 1);
  return (daysPerYear * DAY_MS) / step;
}

/**
 * annual return = (prod(1 + r))^(P / N) - 1; volatility = stdev(r) * sqrt(P);
 * Sharpe = mean(r) / stdev(r) * sqrt(P); Sortino = mean(r) / downside deviation * sqrt(P),
 * with P periods per year, N periods, risk-free rate 0.
 */
function riskFigures(r: number[], perYear: number) {
  const none = { annualReturnPct: null, annualVolatilityPct: null, sharpe: null, sortino: null };
  if (r.length < 2) return none;
  let logSum = 0;
  let sum = 0;
  let downSq = 0;
  for (const x of r) {
    logSum += Math.log1p(x);
    sum += x;
    if (x < 0) downSq += x * x;
  }
  const mean = sum / r.length;
  let sq = 0;
  for (const x of r) sq += (x - mean) * (x - mean);
  const std = Math.sqrt(sq / (r.length - 1));
  const down = Math.sqrt(downSq / r.length);
  const annualReturnPct = Number.isFinite(logSum) ? (Math.exp((logSum * perYear) / r.length) - 1) * 100 : -100;
  return {
    annualReturnPct,
    annualVolatilityPct: std * Math.sqrt(perYear) * 100,
    sharpe: std > 0 ? (mean / std) * Math.sqrt(perYear) : null,
    sortino: down > 0 ? (mean / down) * Math.sqrt(perYear) : null,
  };
}

function tradeFigures(trades: readonly ClosedTrade[]) {
  const n = trades.length;
  if (n === 0) {
    return {
      trades: 0,
      winRatePct: null,
      bestTradePct: null,
      worstTradePct: null,
      avgTradePct: null,
      avgTradeDurationDays: null,
      maxTradeDurationDays: null,
      profitFactor: null,
      expectancyPct: null,
      expectancy: null,
      sqn: null,
    };
  }
  const pct = trades.map((t) => t.returnPct.toNumber());
  const pnl = trades.map((t) => t.pnl.toNumber());
  const durations = trades.map((t) => (t.exitTime - t.entryTime) / DAY_MS);
  const wins = pnl.filter((p) => p > 0).length;
  // Gross sums in exact decimals, converted once.
  let gains = trades[0].pnl.mul(0);
  let losses = gains;
  for (const t of trades) {
    if (t.pnl.gt(0)) gains = gains.plus(t.pnl);
    else if (t.pnl.lt(0)) losses = losses.plus(t.pnl);
  }
  const meanPnl = pnl.reduce((a, b) => a + b, 0) / n;
  const stdPnl = n > 1 ? Math.sqrt(pnl.reduce((a, p) => a + (p - meanPnl) ** 2, 0) / (n - 1)) : 0;
  const logSum = pct.reduce((a, p) => a + Math.log1p(p / 100), 0);
  return {
    trades: n,
    winRatePct: (wins / n) * 100,
    bestTradePct: Math.max(...pct),
    worstTradePct: Math.min(...pct),
    avgTradePct: Number.isFinite(logSum) ? (Math.exp(logSum / n) - 1) * 100 : -100,
    avgTradeDurationDays: durations.reduce((a, b) => a + b, 0) / n,
    maxTradeDurationDays: Math.max(...durations),
    profitFactor: losses.isZero() ? null : gains.div(losses.abs()).toNumber(),
    expectancyPct: pct.reduce((a, b) => a + b, 0) / n,
    expectancy: meanPnl,
    sqn: stdPnl > 0 ? (Math.sqrt(n) * meanPnl) / stdPnl : null,
  };
}

function dayKey(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function monthKey(ms: number): string {
  return new Date(ms).toISOString().slice(0, 7);
}

function periodResults(times: Float64Array, equity: Float64Array, initial: number, key: (ms: number) => string): PeriodResult[] {
  const out: PeriodResult[] = [];
  let prev = initial;
  let currentKey = key(times[0]);
  for (let i = 0; i < equity.length; i++) {
    const last = i === equity.length - 1;
    if (!last && Math.floor(times[i + 1] / DAY_MS) === Math.floor(times[i] / DAY_MS)) continue;
    const nextKey = last ? '' : key(times[i + 1]);
    if (nextKey === currentKey) continue;
    out.push({ period: currentKey, equity: equity[i], returnPct: (equity[i] / prev - 1) * 100 });
    prev = equity[i];
    currentKey = nextKey;
  }
  return out;
}
