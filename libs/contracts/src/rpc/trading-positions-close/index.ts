import type { TradingOrderView } from '../trading-views/trading-views';

/** Closes an open position with a market order (source manual); answers that order. */
export const PATTERN = 'trading.positions.close' as const;
export { TradingPositionRefRequest as Request } from '../trading-views/trading-requests';
export type Response = TradingOrderView;
