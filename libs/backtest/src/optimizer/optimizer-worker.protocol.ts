import type { BacktestConfig } from '../engine/backtest.types';
import type { OptimizeMetric, OptimizeRow, StrategyParams } from './optimizer.types';

export interface OptimizerWorkerData {
  readonly candles: SharedArrayBuffer;
  readonly strategy: string;
  readonly strategyModule?: string;
  readonly metric: OptimizeMetric;
}

/** Run `params` on candles [from, to), the first `config.warmupCandles` of them only warming up. */
export interface OptimizerJob {
  readonly id: number;
  readonly params: StrategyParams;
  readonly from: number;
  readonly to: number;
  readonly config: BacktestConfig;
}

export type OptimizerReply = { readonly id: number; readonly row: OptimizeRow } | { readonly id: number; readonly fatal: string };
