import { IsISO8601, IsOptional, Matches } from 'class-validator';
import { EXCHANGE_ID } from '../common/trading-vocabulary';
import { IsDecimalString } from '../validation/is-decimal-string.decorator';
import { IsMarketSymbol } from '../validation/is-market-symbol.decorator';

/** Latest top of book and 24 h statistics; marks open positions and triggers stops. */
export class MarketTickerUpdatedPayload {
  @Matches(EXCHANGE_ID) exchange: string;
  @IsMarketSymbol() symbol: string;
  @IsDecimalString({ sign: 'positive' }) last: string;
  @IsDecimalString({ sign: 'positive' }) bid: string;
  @IsDecimalString({ sign: 'positive' }) ask: string;
  @IsOptional() @IsDecimalString({ sign: 'positive' }) high24h?: string;
  @IsOptional() @IsDecimalString({ sign: 'positive' }) low24h?: string;
  @IsDecimalString({ sign: 'nonNegative' }) baseVolume: string;
  @IsOptional() @IsDecimalString({ sign: 'nonNegative' }) quoteVolume?: string;
  /** Exchange time of the ticker. */
  @IsISO8601({ strict: true }) time: string;
}
