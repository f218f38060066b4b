import type { TradingOrderView } from '../trading-views/trading-views';

/** One order; another user's answers 404. */
export const PATTERN = 'trading.orders.get' as const;
export { TradingOrderRefRequest as Request } from '../trading-views/trading-requests';
export type Response = TradingOrderView;
