import { IsIn, IsISO8601, IsOptional, IsString, IsUUID, Length, Matches, ValidateIf } from 'class-validator';
import { EXCHANGE_ID, ORDER_SIDES, ORDER_TYPES, OrderSide, OrderType, TRADING_MODES, TradingMode } from '../common/trading-vocabulary';
import { IsDecimalString } from '../validation/is-decimal-string.decorator';
import { IsMarketSymbol } from '../validation/is-market-symbol.decorator';

/** The exchange (or the paper exchange) accepted the order. */
export class OrderPlacedPayload {
  @IsUUID() orderId: string;
  /** Sent to the exchange; equals the signal id for bot orders, so retries never double an order. */
  @IsString() @Length(1, 64) clientOrderId: string;
  @ValidateIf((_, v) => v !== null) @IsString() @Length(1, 128) exchangeOrderId: string | null;
  /** null for a manual order. */
  @ValidateIf((_, v) => v !== null) @IsUUID() botId: string | null;
  @IsUUID() userId: string;
  @ValidateIf((_, v) => v !== null) @IsString() @Length(8, 64) signalId: string | null;
  @Matches(EXCHANGE_ID) exchange: string;
  @IsMarketSymbol() symbol: string;
  @IsIn(ORDER_SIDES) side: OrderSide;
  @IsIn(ORDER_TYPES) orderType: OrderType;
  @IsIn(TRADING_MODES) mode: TradingMode;
  @IsDecimalString({ sign: 'positive' }) quantity: string;
  /** Limit price; null for market orders. */
  @ValidateIf((_, v) => v !== null) @IsDecimalString({ sign: 'positive' }) price: string | null;
  @IsOptional() @IsDecimalString({ sign: 'positive' }) stopPrice?: string;
  @IsISO8601({ strict: true }) placedAt: string;
}
