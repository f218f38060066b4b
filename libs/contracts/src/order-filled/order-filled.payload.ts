import { IsIn, IsISO8601, IsString, IsUUID, Length, Matches, ValidateIf } from 'class-validator';
import { EXCHANGE_ID, ORDER_SIDES, OrderSide, TRADING_MODES, TradingMode } from '../common/trading-vocabulary';
import { IsDecimalString } from '../validation/is-decimal-string.decorator';
import { IsMarketSymbol } from '../validation/is-market-symbol.decorator';

export const FILL_STATUSES = ['partially_filled', 'filled'] as const;

/** One fill of an order (a limit order may fill in several parts). */
export class OrderFilledPayload {
  @IsUUID() orderId: string;
  @IsString() @Length(1, 64) clientOrderId: string;
  @ValidateIf((_, v) => v !== null) @IsString() @Length(1, 128) exchangeOrderId: string | null;
  @ValidateIf((_, v) => v !== null) @IsUUID() botId: string | null;
  @IsUUID() userId: string;
  @Matches(EXCHANGE_ID) exchange: string;
  @IsMarketSymbol() symbol: string;
  @IsIn(ORDER_SIDES) side: OrderSide;
  @IsIn(TRADING_MODES) mode: TradingMode;
  /** Quantity of this fill. */
  @IsDecimalString({ sign: 'positive' }) fillQuantity: string;
  @IsDecimalString({ sign: 'positive' }) fillPrice: string;
  @IsDecimalString({ sign: 'positive' }) cumulativeQuantity: string;
  @IsDecimalString({ sign: 'nonNegative' }) remainingQuantity: string;
  /** Volume-weighted price of every fill so far. */
  @IsDecimalString({ sign: 'positive' }) averagePrice: string;
  @IsIn(FILL_STATUSES) status: (typeof FILL_STATUSES)[number];
  @IsDecimalString({ sign: 'nonNegative' }) fee: string;
  @Matches(/^[A-Z0-9]{1,20}$/) feeCurrency: string;
  @IsISO8601({ strict: true }) filledAt: string;
}
