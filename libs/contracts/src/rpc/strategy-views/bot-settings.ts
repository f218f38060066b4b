import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, IsUUID, Length, Matches, Max, MaxLength, Min, ValidateIf, ValidateNested } from 'class-validator';
import { EXCHANGE_ID, Timeframe, TIMEFRAMES, TRADING_MODES, TradingMode } from '../../common/trading-vocabulary';
import { IsDecimalString } from '../../validation/is-decimal-string.decorator';
import { IsMarketSymbol } from '../../validation/is-market-symbol.decorator';
import { RpcCaller } from '../rpc-caller/rpc-caller';
import { MARKET_TYPES, MarketType, SIZING_MODES, SizingMode } from './strategy-views';

/** Names and labels: no control or format characters (PostgreSQL refuses NUL; bidi overrides mislead). */
export const PRINTABLE = /^[^\p{Cc}\p{Cf}]+$/u;
export const printable = { message: '$property must not contain control or format characters' };
const PERCENT = /^(0|[1-9]\d{0,2})(\.\d{1,2})?$/;
const percent = { message: '$property must be a percentage as a decimal string with at most 2 decimals (e.g. "2.5")' };

/**
 * The settings of a bot that have defaults (an update sends only what changes).
 * Percentages are decimal strings in percent ("2.5" = 2.5 %); null clears an optional setting.
 */
export class BotOptionalSettings {
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @MaxLength(2000) description?: string | null;
  @ValidateIf((_, v) => v !== undefined) @IsObject() strategyParams?: Record<string, unknown>;
  @ValidateIf((_, v) => v !== undefined) @IsIn(TRADING_MODES) mode?: TradingMode;
  @ValidateIf((_, v) => v !== undefined) @IsIn(MARKET_TYPES) marketType?: MarketType;
  @ValidateIf((_, v) => v !== undefined) @IsInt() @Min(1) @Max(125) leverage?: number;
  @ValidateIf((_, v) => v !== undefined) @IsIn(SIZING_MODES) sizingMode?: SizingMode;
  @IsOptional() @ValidateIf((_, v) => v !== null) @Matches(PERCENT, percent) positionSizePct?: string | null;
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsDecimalString({ sign: 'positive' }) positionSizeFixed?: string | null;
  @IsOptional() @ValidateIf((_, v) => v !== null) @Matches(PERCENT, percent) riskPerTradePct?: string | null;
  @IsOptional() @ValidateIf((_, v) => v !== null) @Matches(PERCENT, percent) stopLossPct?: string | null;
  @IsOptional() @ValidateIf((_, v) => v !== null) @Matches(PERCENT, percent) takeProfitPct?: string | null;
  @IsOptional() @ValidateIf((_, v) => v !== null) @Matches(PERCENT, percent) trailingStopPct?: string | null;
  @ValidateIf((_, v) => v !== undefined) @IsBoolean() trailingStopActive?: boolean;
  @IsOptional() @ValidateIf((_, v) => v !== null) @Matches(PERCENT, percent) dailyTargetPct?: string | null;
  @IsOptional() @ValidateIf((_, v) => v !== null) @Matches(PERCENT, percent) maxDailyLossPct?: string | null;
  @IsOptional() @ValidateIf((_, v) => v !== null) @Matches(PERCENT, percent) maxWeeklyLossPct?: string | null;
  @IsOptional() @ValidateIf((_, v) => v !== null) @Matches(PERCENT, percent) maxDrawdownPct?: string | null;
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsInt() @Min(1) maxDailyTrades?: number | null;
  @ValidateIf((_, v) => v !== undefined) @IsInt() @Min(1) @Max(100) maxPositions?: number;
  /** An auth api key id (required in live mode). */
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsUUID() apiKeyId?: string | null;
  @ValidateIf((_, v) => v !== undefined) @IsObject() riskSettings?: Record<string, unknown>;
}

/** Every setting of a bot, optional: what an update may change. */
export class BotSettingsPatch extends BotOptionalSettings {
  @ValidateIf((_, v) => v !== undefined) @IsString() @Length(1, 100) @Matches(PRINTABLE, printable) name?: string;
  @ValidateIf((_, v) => v !== undefined) @Matches(EXCHANGE_ID) exchange?: string;
  @ValidateIf((_, v) => v !== undefined) @IsMarketSymbol() symbol?: string;
  @ValidateIf((_, v) => v !== undefined) @IsIn(TIMEFRAMES) timeframe?: Timeframe;
  @ValidateIf((_, v) => v !== undefined) @IsDecimalString({ sign: 'positive' }) initialCapital?: string;
}

/** A request about one bot of the caller (another user's bot is not found; admin sees all). */
export class BotRefRequest {
  @ValidateNested() @Type(() => RpcCaller) caller: RpcCaller;
  @IsUUID() botId: string;
}

/** Cursor-paginated list request; `cursor` is the `next` of the previous page. */
export class CursorPageRequest {
  @ValidateNested() @Type(() => RpcCaller) caller: RpcCaller;
  @IsOptional() @IsInt() @Min(1) @Max(500) limit?: number;
  @IsOptional() @IsString() @MaxLength(200) cursor?: string;
}
