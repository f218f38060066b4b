import type { StrategyCatalogEntry } from '../strategy-views/strategy-views';

export const PATTERN = 'strategy.catalog.list' as const;
export { StrategyCatalogListRequest as Request } from './strategy-catalog-list.request';
export type Response = { readonly items: StrategyCatalogEntry[] };
