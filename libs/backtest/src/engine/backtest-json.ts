import type { BacktestRun, ExitReason, PositionSide } from './backtest.types';
import { computeStatistics, type BacktestStatisticsWithPeriods, type PeriodResult } from '../statistics/backtest-statistics';

export interface BacktestTradeJson {
  readonly side: PositionSide;
  readonly qty: number;
  readonly entryTime: string;
  readonly entryPrice: number;
  readonly exitTime: string;
  readonly exitPrice: number;
  readonly pnl: number;
  readonly returnPct: number;
  readonly commission: number;
  readonly exitReason: ExitReason;
}

export interface BacktestJson {
  readonly stats: Omit<BacktestStatisticsWithPeriods, 'daily' | 'monthly'>;
  readonly trades: BacktestTradeJson[];
  readonly openPosition: null | {
    readonly side: PositionSide;
    readonly qty: number;
    readonly entryTime: string;
    readonly entryPrice: number;
    readonly entryCommission: number;
    readonly unrealizedPnl: number;
  };
  readonly equity: { readonly time: string; readonly equity: number }[];
  readonly daily: PeriodResult[];
  readonly monthly: PeriodResult[];
}

export interface BacktestJsonOptions {
  /** Thin the equity curve to about this many points (first and last always kept). */
  readonly maxEquityPoints?: number;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** The documented result shape: times ISO-8601 UTC, money as numbers. */
export function toBacktestJson(run: BacktestRun, options: BacktestJsonOptions = {}): BacktestJson {
  const { daily, monthly, ...stats } = computeStatistics(run, { periods: true }) as BacktestStatisticsWithPeriods;
  const n = run.equity.length;
  const step = options.maxEquityPoints && n > options.maxEquityPoints ? Math.ceil(n / options.maxEquityPoints) : 1;
  const equity: BacktestJson['equity'] = [];
  for (let i = 0; i < n; i += step) equity.push({ time: iso(run.times[i]), equity: run.equity[i] });
  if ((n - 1) % step !== 0) equity.push({ time: iso(run.times[n - 1]), equity: run.equity[n - 1] });
  const p = run.openPosition;
  return {
    stats,
    trades: run.trades.map((t) => ({
      side: t.side,
      qty: t.qty.toNumber(),
      entryTime: iso(t.entryTime),
      entryPrice: t.entryPrice.toNumber(),
      exitTime: iso(t.exitTime),
      exitPrice: t.exitPrice.toNumber(),
      pnl: t.pnl.toNumber(),
      returnPct: t.returnPct.toNumber(),
      commission: t.commission.toNumber(),
      exitReason: t.exitReason,
    })),
    openPosition: p
      ? {
          side: p.side,
          qty: p.qty.toNumber(),
          entryTime: iso(p.entryTime),
          entryPrice: p.entryPrice.toNumber(),
          entryCommission: p.entryCommission.toNumber(),
          unrealizedPnl: p.unrealizedPnl,
        }
      : null,
    equity,
    daily,
    monthly,
  };
}
