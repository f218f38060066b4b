import type { EquityPointView } from '../analytics-views/analytics-views';

export const PATTERN = 'analytics.equityCurve.get' as const;
export { AnalyticsEquityCurveGetRequest as Request } from './analytics-equity-curve-get.request';
export interface Response {
  /** Oldest first. */
  readonly points: EquityPointView[];
}
