export const PATTERN = 'market.pairs.list' as const;
export { MarketPairsListRequest as Request } from './market-pairs-list.request';

/** A market's trading rules: decimal strings, fees as fractions (0.001 = 0.1 %). */
export interface PairView {
  readonly exchange: string;
  readonly symbol: string;
  readonly base: string;
  readonly quote: string;
  readonly tickSize: string | null;
  readonly stepSize: string | null;
  readonly minOrderSize: string | null;
  readonly maxOrderSize: string | null;
  readonly minNotional: string | null;
  readonly makerFee: string;
  readonly takerFee: string;
  readonly isActive: boolean;
}

export type Response = { readonly items: PairView[] };
