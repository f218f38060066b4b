export const PATTERN = 'risk.preTradeCheck' as const;
export { RiskPreTradeCheckRequest as Request } from './risk-pre-trade-check.request';
export type { RiskPreTradeCheckResponse as Response } from './risk-pre-trade-check.response';
