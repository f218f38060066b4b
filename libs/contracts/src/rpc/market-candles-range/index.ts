export const PATTERN = 'market.candles.range' as const;
export { MarketCandlesRangeRequest as Request } from './market-candles-range.request';

/** A stored candle: open time ISO-8601 UTC, prices and volume as exact decimal strings. */
export interface CandleView {
  readonly openTime: string;
  readonly open: string;
  readonly high: string;
  readonly low: string;
  readonly close: string;
  readonly volume: string;
}

export type Response = { readonly items: CandleView[]; readonly next: string | null };
