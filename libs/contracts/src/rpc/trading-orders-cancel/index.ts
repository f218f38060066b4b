import type { TradingOrderView } from '../trading-views/trading-views';

/** Cancels a working order; a finished one answers 409. */
export const PATTERN = 'trading.orders.cancel' as const;
export { TradingOrderRefRequest as Request } from '../trading-views/trading-requests';
export type Response = TradingOrderView;
