import type { CursorPage } from '../strategy-views/strategy-views';
import type { TradingTradeView } from '../trading-views/trading-views';

/** The caller's fills, newest first. */
export const PATTERN = 'trading.trades.list' as const;
export { TradingPageRequest as Request } from '../trading-views/trading-requests';
export type Response = CursorPage<TradingTradeView>;
