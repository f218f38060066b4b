export const PATTERN = 'market.tickers.list' as const;
export { MarketTickersListRequest as Request } from './market-tickers-list.request';

export interface TickerView {
  readonly exchange: string;
  readonly symbol: string;
  readonly last: string;
  readonly bid: string | null;
  readonly ask: string | null;
  readonly baseVolume: string | null;
  /** Exchange time, ISO-8601 UTC. */
  readonly time: string;
}

export type Response = { readonly items: TickerView[] };
