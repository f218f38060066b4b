import type { CursorPage } from '../strategy-views/strategy-views';
import type { TradingPositionView } from '../trading-views/trading-views';

/** The caller's positions, newest first. */
export const PATTERN = 'trading.positions.list' as const;
export { TradingPositionsListRequest as Request } from '../trading-views/trading-requests';
export type Response = CursorPage<TradingPositionView>;
