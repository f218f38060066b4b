import type { TradingOrderView } from '../trading-views/trading-views';

/** Places a manual order on a bot's account; a risk denial answers the rejected order (status rejected), not an error. */
export const PATTERN = 'trading.orders.place' as const;
export { TradingOrdersPlaceRequest as Request } from '../trading-views/trading-requests';
export type Response = TradingOrderView;
