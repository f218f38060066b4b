import type { PerformanceView } from '../analytics-views/analytics-views';

export const PATTERN = 'analytics.performance.get' as const;
export { AnalyticsPerformanceGetRequest as Request } from './analytics-performance-get.request';
export interface Response {
  readonly overall: PerformanceView | null;
  /** Newest first. */
  readonly daily: PerformanceView[];
}
