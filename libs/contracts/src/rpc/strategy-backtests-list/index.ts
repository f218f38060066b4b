import type { BacktestView, CursorPage } from '../strategy-views/strategy-views';

/** The caller's backtests, newest first, without the heavy results. */
export const PATTERN = 'strategy.backtests.list' as const;
export { CursorPageRequest as Request } from '../strategy-views/bot-settings';
export type Response = CursorPage<BacktestView>;
