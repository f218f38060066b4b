import type { TradingStateView } from '../risk-views/risk-views';

/** The trading state of one scope (ACTIVE when never changed). */
export const PATTERN = 'risk.tradingState.get' as const;
export { RiskScopeRequest as Request } from '../risk-views/risk-views';
export type Response = TradingStateView;
