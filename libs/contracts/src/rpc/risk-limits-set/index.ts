import type { RiskLimitView } from '../risk-views/risk-views';

export const PATTERN = 'risk.limits.set' as const;
export { RiskLimitsSetRequest as Request } from './risk-limits-set.request';
export type Response = RiskLimitView;
