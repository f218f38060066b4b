import type { BacktestView } from '../strategy-views/strategy-views';

export const PATTERN = 'strategy.backtests.run' as const;
export { StrategyBacktestsRunRequest as Request } from './strategy-backtests-run.request';
/** The queued job; poll `strategy.backtests.get` for progress and results. */
export type Response = BacktestView;
