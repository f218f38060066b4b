import { IsIn, IsUUID, Matches, ValidateIf } from 'class-validator';
import { EXCHANGE_ID, ORDER_SIDES, ORDER_TYPES, OrderSide, OrderType } from '../../common/trading-vocabulary';
import { IsDecimalString } from '../../validation/is-decimal-string.decorator';
import { IsMarketSymbol } from '../../validation/is-market-symbol.decorator';

/** trading-engine asks risk whether an order may go out, before it reaches the exchange. */
export class RiskPreTradeCheckRequest {
  @IsUUID() botId: string;
  @IsUUID() userId: string;
  @Matches(EXCHANGE_ID) exchange: string;
  @IsMarketSymbol() symbol: string;
  @IsIn(ORDER_SIDES) side: OrderSide;
  @IsIn(ORDER_TYPES) orderType: OrderType;
  @IsDecimalString({ sign: 'positive' }) quantity: string;
  /** Limit price, or the reference price of a market order (needed for notional limits). */
  @ValidateIf((_, v) => v !== undefined) @IsDecimalString({ sign: 'positive' }) price: string;
}
