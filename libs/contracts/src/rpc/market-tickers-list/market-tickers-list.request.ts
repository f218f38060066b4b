import { IsOptional, Matches } from 'class-validator';
import { EXCHANGE_ID } from '../../common/trading-vocabulary';
import { IsMarketSymbol } from '../../validation/is-market-symbol.decorator';

/** The latest ticker per market, optionally for one exchange or one symbol. */
export class MarketTickersListRequest {
  @IsOptional() @Matches(EXCHANGE_ID) exchange?: string;
  @IsOptional() @IsMarketSymbol() symbol?: string;
}
