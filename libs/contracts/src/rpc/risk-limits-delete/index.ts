export const PATTERN = 'risk.limits.delete' as const;
export { RiskLimitsDeleteRequest as Request } from './risk-limits-delete.request';
export interface Response {
  readonly deleted: true;
}
