import type { TradingOrderView } from '../trading-views/trading-views';

/** Closes every open position of a bot; answers the closing orders. */
export const PATTERN = 'trading.positions.closeAll' as const;
export { TradingBotRefRequest as Request } from '../trading-views/trading-requests';
export type Response = { readonly orders: TradingOrderView[] };
