import type { RiskLimitView } from '../risk-views/risk-views';

/** The limits of one scope (the caller's own user or bot; global limits are readable by everyone). */
export const PATTERN = 'risk.limits.list' as const;
export { RiskScopeRequest as Request } from '../risk-views/risk-views';
export interface Response {
  readonly items: RiskLimitView[];
}
