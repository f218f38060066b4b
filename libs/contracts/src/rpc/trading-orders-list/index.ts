import type { CursorPage } from '../strategy-views/strategy-views';
import type { TradingOrderView } from '../trading-views/trading-views';

/** The caller's orders (of one bot when botId is given), newest first. */
export const PATTERN = 'trading.orders.list' as const;
export { TradingPageRequest as Request } from '../trading-views/trading-requests';
export type Response = CursorPage<TradingOrderView>;
