import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { EXCHANGE_ID, Timeframe, TIMEFRAMES } from '../../common/trading-vocabulary';
import { IsMarketSymbol } from '../../validation/is-market-symbol.decorator';

/** Stored closed candles with open time in [from, to), oldest first, keyset-paginated. Service-to-service (no caller). */
export class MarketCandlesRangeRequest {
  @Matches(EXCHANGE_ID) exchange: string;
  @IsMarketSymbol() symbol: string;
  @IsIn(TIMEFRAMES) timeframe: Timeframe;
  @IsISO8601({ strict: true }) from: string;
  @IsISO8601({ strict: true }) to: string;
  @IsOptional() @IsInt() @Min(1) @Max(5000) limit?: number;
  /** `next` of the previous page. */
  @IsOptional() @IsString() @MaxLength(200) cursor?: string;
}
