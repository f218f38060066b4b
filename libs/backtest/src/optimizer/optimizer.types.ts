import type { Strategy } from '@trading/strategies';
import type { BacktestConfig } from '../engine/backtest.types';
import type { BacktestStatistics } from '../statistics/backtest-statistics';

export type ParamValue = number | string | boolean;
export type StrategyParams = Readonly<Record<string, ParamValue>>;
export type StrategyFactory = (name: string, params: StrategyParams) => Strategy;

/** Inclusive numeric range: `min`, `min + step`, ... up to `max`. */
export interface ParamRange {
  readonly min: number;
  readonly max: number;
  readonly step: number;
}

/** Per parameter: explicit values or a range. */
export type ParamSpace = Readonly<Record<string, readonly ParamValue[] | ParamRange>>;

export const OPTIMIZE_METRICS = [
  'sharpe',
  'sortino',
  'calmar',
  'returnPct',
  'cagrPct',
  'profitFactor',
  'winRatePct',
  'expectancyPct',
  'sqn',
  'maxDrawdownPct',
  'equityFinal',
] as const;
export type OptimizeMetric = (typeof OPTIMIZE_METRICS)[number];

export interface OptimizeOptions {
  readonly strategy: string;
  readonly space: ParamSpace;
  /** Ranked by this statistic, higher first (maxDrawdownPct is negative: closer to 0 ranks higher). */
  readonly metric: OptimizeMetric;
  readonly config?: BacktestConfig;
  /** Worker threads; default: all cores (os.availableParallelism). 0 runs in this thread. */
  readonly workers?: number;
  /**
   * Module exporting `createStrategy(name, params)` for custom strategies (absolute path); the
   * built-in registry of @trading/strategies otherwise. Workers load it themselves.
   */
  readonly strategyModule?: string;
  /** In-thread only (workers: 0): a factory function instead of a module. */
  readonly createStrategy?: StrategyFactory;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface RandomOptimizeOptions extends OptimizeOptions {
  readonly samples: number;
  /** Seed of the sampler (deterministic for one seed); default 1. */
  readonly seed?: number;
}

export interface OptimizeRow {
  readonly params: StrategyParams;
  /** null when the statistic is undefined for this run (e.g. no trades). */
  readonly metric: number | null;
  readonly stats: BacktestStatistics | null;
  /** Set when the strategy rejected the parameters (e.g. fast >= slow). */
  readonly error?: string;
}

export interface OptimizeResult {
  readonly metric: OptimizeMetric;
  /** Valid runs, best first. */
  readonly ranked: OptimizeRow[];
  readonly rejected: OptimizeRow[];
  readonly runs: number;
  readonly elapsedMs: number;
  readonly workers: number;
}

export interface WalkForwardOptions extends OptimizeOptions {
  /** Number of consecutive, non-overlapping windows. */
  readonly windows: number;
  /** Share of each window used in-sample; default 0.7. */
  readonly inSampleFraction?: number;
  /** Random search with this many samples per window instead of the full grid. */
  readonly samples?: number;
  readonly seed?: number;
}

export interface WalkForwardWindow {
  readonly window: number;
  readonly inSample: { readonly start: string; readonly end: string; readonly params: StrategyParams; readonly metric: number | null; readonly stats: BacktestStatistics | null };
  readonly outOfSample: { readonly start: string; readonly end: string; readonly metric: number | null; readonly stats: BacktestStatistics | null };
}

export interface WalkForwardResult {
  readonly metric: OptimizeMetric;
  readonly windows: WalkForwardWindow[];
  /** Means over windows with a defined metric. */
  readonly meanInSample: number | null;
  readonly meanOutOfSample: number | null;
  /** Compounded out-of-sample return of the chosen parameters, window after window, in %. */
  readonly outOfSampleReturnPct: number;
  readonly elapsedMs: number;
}
