import type { AuditLogView } from '../analytics-views/analytics-views';

export const PATTERN = 'analytics.audit.list' as const;
export { AnalyticsAuditListRequest as Request } from './analytics-audit-list.request';
export interface Response {
  readonly items: AuditLogView[];
  readonly nextCursor: string | null;
}
