import type { OpenPositionView, PortfolioSnapshotView } from '../analytics-views/analytics-views';

export const PATTERN = 'analytics.portfolio.get' as const;
export { AnalyticsPortfolioGetRequest as Request } from './analytics-portfolio-get.request';
export interface Response {
  readonly snapshot: PortfolioSnapshotView | null;
  readonly positions: OpenPositionView[];
}
