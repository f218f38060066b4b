import type { TradingPositionAdjustmentView } from '../trading-views/trading-views';

/** Sets a live position's quantity to what the exchange holds (reduce only, at cost); answers the adjustment. */
export const PATTERN = 'trading.positions.adjust' as const;
export { TradingPositionsAdjustRequest as Request } from '../trading-views/trading-requests';
export type Response = TradingPositionAdjustmentView;
