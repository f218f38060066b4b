import type { DailySummaryView } from '../analytics-views/analytics-views';

export const PATTERN = 'analytics.daily.list' as const;
export { AnalyticsDailyListRequest as Request } from './analytics-daily-list.request';
export interface Response {
  /** Newest first. */
  readonly days: DailySummaryView[];
}
