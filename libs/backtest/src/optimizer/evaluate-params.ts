import * as strategies from '@trading/strategies';
import { runBacktest } from '../engine/backtest.engine';
import type { BacktestCandle, BacktestConfig } from '../engine/backtest.types';
import { computeStatistics, type BacktestStatistics } from '../statistics/backtest-statistics';
import type { OptimizeMetric, OptimizeRow, StrategyFactory, StrategyParams } from './optimizer.types';

/** The strategy factory: from a module exporting `createStrategy`, else the built-in registry. */
export function loadStrategyFactory(strategyModule?: string): StrategyFactory {
  const source = (strategyModule ? require(strategyModule) : strategies) as { createStrategy?: unknown };
  if (typeof source.createStrategy !== 'function') {
    throw new Error(`no createStrategy(name, params) exported by ${strategyModule ?? '@trading/strategies'}`);
  }
  return source.createStrategy as StrategyFactory;
}

export function metricOf(stats: BacktestStatistics, metric: OptimizeMetric): number | null {
  const v = stats[metric];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** One backtest for one parameter set; a strategy rejecting the parameters becomes a row with `error`. */
export function evaluateParams(
  candles: readonly BacktestCandle[],
  factory: StrategyFactory,
  strategy: string,
  params: StrategyParams,
  config: BacktestConfig,
  metric: OptimizeMetric,
): OptimizeRow {
  let instance;
  try {
    instance = factory(strategy, params);
  } catch (error) {
    return { params, metric: null, stats: null, error: error instanceof Error ? error.message : String(error) };
  }
  const stats = computeStatistics(runBacktest(candles, instance, config));
  return { params, metric: metricOf(stats, metric), stats };
}
