import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsISO8601, IsString, IsUUID, Length, Matches, ValidateIf } from 'class-validator';
import { EXCHANGE_ID, ORDER_SIDES, OrderSide, TRADING_MODES, TradingMode } from '../common/trading-vocabulary';
import { IsDecimalString } from '../validation/is-decimal-string.decorator';
import { IsMarketSymbol } from '../validation/is-market-symbol.decorator';

/** Why an order was refused; a denial carries codes, not an exception. */
export const REJECTION_REASONS = [
  'RISK_MAX_POSITION_SIZE',
  'RISK_MAX_DAILY_LOSS',
  'RISK_MAX_DRAWDOWN',
  'RISK_MAX_OPEN_ORDERS',
  'RISK_MAX_EXPOSURE',
  'RISK_CHECK_TIMEOUT',
  'TRADING_HALTED',
  'REDUCE_ONLY',
  'BOT_NOT_RUNNING',
  'DUPLICATE_SIGNAL',
  'INSUFFICIENT_FUNDS',
  'MIN_NOTIONAL',
  'INVALID_ORDER',
  'RATE_LIMITED',
  'EXCHANGE_UNAVAILABLE',
  'EXCHANGE_ERROR',
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

export const REJECTED_BY = ['risk', 'engine', 'exchange'] as const;

export class OrderRejectedPayload {
  @IsUUID() orderId: string;
  @IsString() @Length(1, 64) clientOrderId: string;
  @ValidateIf((_, v) => v !== null) @IsUUID() botId: string | null;
  @IsUUID() userId: string;
  @ValidateIf((_, v) => v !== null) @IsString() @Length(8, 64) signalId: string | null;
  @Matches(EXCHANGE_ID) exchange: string;
  @IsMarketSymbol() symbol: string;
  @IsIn(ORDER_SIDES) side: OrderSide;
  @IsIn(TRADING_MODES) mode: TradingMode;
  @IsDecimalString({ sign: 'positive' }) quantity: string;
  @ValidateIf((_, v) => v !== null) @IsDecimalString({ sign: 'positive' }) price: string | null;
  @IsIn(REJECTED_BY) rejectedBy: (typeof REJECTED_BY)[number];
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(16) @IsIn(REJECTION_REASONS, { each: true }) reasons: RejectionReason[];
  /** Human-readable detail (the exchange's message, the limit that was hit). */
  @IsString() @Length(0, 1000) message: string;
  @IsISO8601({ strict: true }) rejectedAt: string;
}
