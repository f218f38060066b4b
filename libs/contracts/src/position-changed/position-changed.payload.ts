import { IsIn, IsISO8601, IsOptional, IsUUID, Matches, ValidateIf } from 'class-validator';
import { EXCHANGE_ID, PositionSide, POSITION_SIDES, TRADING_MODES, TradingMode } from '../common/trading-vocabulary';
import { IsDecimalString } from '../validation/is-decimal-string.decorator';
import { IsMarketSymbol } from '../validation/is-market-symbol.decorator';

/**
 * Why a position changed without a trade. `adjustment`: an operator set a live position to what the exchange
 * account holds (a coin sold or withdrawn by hand, a missed fill); the removed quantity left at cost.
 */
export const POSITION_CHANGE_REASONS = ['adjustment'] as const;
export type PositionChangeReason = (typeof POSITION_CHANGE_REASONS)[number];

/** A bot's position after a trade (or a mark-to-market, or an adjustment); `flat` with quantity "0" when closed. */
export class PositionChangedPayload {
  @ValidateIf((_, v) => v !== null) @IsUUID() botId: string | null;
  @IsUUID() userId: string;
  @Matches(EXCHANGE_ID) exchange: string;
  @IsMarketSymbol() symbol: string;
  @IsIn(TRADING_MODES) mode: TradingMode;
  @IsIn(POSITION_SIDES) side: PositionSide;
  @IsDecimalString({ sign: 'nonNegative' }) quantity: string;
  /** null while flat. */
  @ValidateIf((_, v) => v !== null) @IsDecimalString({ sign: 'positive' }) avgEntryPrice: string | null;
  @IsDecimalString() realizedPnl: string;
  @IsDecimalString() unrealizedPnl: string;
  @ValidateIf((_, v) => v !== null) @IsDecimalString({ sign: 'positive' }) markPrice: string | null;
  /** The trade that changed it; null for a mark-to-market update. */
  @ValidateIf((_, v) => v !== null) @IsUUID() tradeId: string | null;
  @IsISO8601({ strict: true }) changedAt: string;
  /** Absent for a trade or a mark-to-market. */
  @IsOptional() @IsIn(POSITION_CHANGE_REASONS) reason?: PositionChangeReason;
}
