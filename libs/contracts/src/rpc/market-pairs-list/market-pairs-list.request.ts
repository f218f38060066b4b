import { IsOptional, Matches } from 'class-validator';
import { EXCHANGE_ID } from '../../common/trading-vocabulary';

/** Trading pairs loaded from the exchanges (public market information; no caller needed). */
export class MarketPairsListRequest {
  @IsOptional() @Matches(EXCHANGE_ID) exchange?: string;
}
