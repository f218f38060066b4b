import Decimal from 'decimal.js';
import { BacktestConfig, BacktestRun, SizingRule, toBacktestJson } from '@trading/backtest';
import { JsonObject } from '../database/json';
import type { BacktestResults } from './backtest.repository';

/** What a job stores in `settings`: the candle source and the run's cost model, sizing and exits. */
export interface BacktestSettings {
  readonly dataset?: string;
  readonly commission?: string;
  readonly slippageBps?: number;
  readonly fill?: 'next_open' | 'close';
  readonly sizing?: { mode: 'fraction'; fraction: string } | { mode: 'fixed'; amount: string } | { mode: 'risk'; riskFraction: string };
  readonly stopLossPct?: number;
  readonly takeProfitPct?: number;
  readonly trailingStopPct?: number;
}

export function backtestConfig(initialCapital: string, settings: BacktestSettings): BacktestConfig {
  return {
    cash: initialCapital,
    ...(settings.commission !== undefined && { commission: settings.commission }),
    ...(settings.slippageBps !== undefined && { slippageBps: settings.slippageBps }),
    ...(settings.fill && { fill: settings.fill }),
    ...(settings.sizing && { sizing: settings.sizing as SizingRule }),
    ...(settings.stopLossPct !== undefined && { stopLossPct: settings.stopLossPct }),
    ...(settings.takeProfitPct !== undefined && { takeProfitPct: settings.takeProfitPct }),
    ...(settings.trailingStopPct !== undefined && { trailingStopPct: settings.trailingStopPct }),
  };
}

/** A figure for a NUMERIC(p, s) column: null when undefined or too large for the column (e.g. a profit factor with no loss). */
function fixed(value: number | null, scale: number, maxAbs: number): string | null {
  if (value === null || !Number.isFinite(value) || Math.abs(value) >= maxAbs) return null;
  return new Decimal(value).toFixed(scale);
}

/** The stored results of a run: the JSON document of libs/backtest plus the summary columns. */
export function toBacktestResults(run: BacktestRun): { results: BacktestResults; summary: JsonObject } {
  const json = toBacktestJson(run, { maxEquityPoints: 5000 });
  const closed = run.trades;
  const pnl = closed.reduce((sum, t) => sum.plus(t.pnl), new Decimal(0));
  const results: BacktestResults = {
    finalCapital: new Decimal(json.stats.equityFinal).toFixed(8),
    totalReturn: fixed(json.stats.returnPct, 4, 1e6),
    totalTrades: closed.length,
    winningTrades: closed.filter((t) => t.pnl.gt(0)).length,
    losingTrades: closed.filter((t) => t.pnl.lt(0)).length,
    winRate: fixed(json.stats.winRatePct, 2, 1000),
    totalFees: run.commissions.toFixed(8),
    avgProfit: closed.length ? pnl.div(closed.length).toFixed(8) : null,
    profitFactor: fixed(json.stats.profitFactor, 4, 1e6),
    maxDrawdown: fixed(json.stats.maxDrawdownPct, 4, 1e6),
    sharpeRatio: fixed(json.stats.sharpe, 4, 1e6),
    stats: { ...json.stats, openPosition: json.openPosition },
    equityCurve: json.equity,
    trades: json.trades as unknown as JsonObject[],
    dailyResults: json.daily as unknown as JsonObject[],
    monthlyResults: json.monthly as unknown as JsonObject[],
  };
  return { results, summary: { ...json.stats } };
}
