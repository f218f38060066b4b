import type { CursorPage, StrategySignalView } from '../strategy-views/strategy-views';

export const PATTERN = 'strategy.signals.list' as const;
export { StrategySignalsListRequest as Request } from './strategy-signals-list.request';
export type Response = CursorPage<StrategySignalView>;
