import type { TradingStateView } from '../risk-views/risk-views';

export const PATTERN = 'risk.tradingState.set' as const;
export { RiskTradingStateSetRequest as Request } from './risk-trading-state-set.request';
export type Response = TradingStateView;
