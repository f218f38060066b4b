import type { TradingBalanceView } from '../trading-views/trading-views';

/** Current balances of the caller's bots (of one bot when botId is given). */
export const PATTERN = 'trading.balances.list' as const;
export { TradingBalancesListRequest as Request } from '../trading-views/trading-requests';
export type Response = { readonly items: TradingBalanceView[] };
