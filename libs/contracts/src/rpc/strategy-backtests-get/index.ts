import type { BacktestView } from '../strategy-views/strategy-views';

/** One backtest with its results (stats, equity curve, trades, daily and monthly results). */
export const PATTERN = 'strategy.backtests.get' as const;
export { StrategyBacktestsGetRequest as Request } from './strategy-backtests-get.request';
export type Response = BacktestView;
