import { IsIn, IsISO8601, IsOptional, IsString, IsUUID, Length, ValidateIf } from 'class-validator';
import { TRADING_MODES, TradingMode } from '../common/trading-vocabulary';
import { IsDecimalString } from '../validation/is-decimal-string.decorator';

export const BOT_STATUSES = ['created', 'running', 'paused', 'stopped', 'halted', 'error'] as const;
export type BotStatus = (typeof BOT_STATUSES)[number];

export const BOT_STATUS_CHANGED_BY = ['user', 'system', 'risk'] as const;

export class BotStatusChangedPayload {
  @IsUUID() botId: string;
  @IsUUID() userId: string;
  @ValidateIf((_, v) => v !== null) @IsIn(BOT_STATUSES) previousStatus: BotStatus | null;
  @IsIn(BOT_STATUSES) status: BotStatus;
  @IsIn(TRADING_MODES) mode: TradingMode;
  @IsIn(BOT_STATUS_CHANGED_BY) changedBy: (typeof BOT_STATUS_CHANGED_BY)[number];
  @ValidateIf((_, v) => v !== null) @IsString() @Length(1, 500) reason: string | null;
  @IsISO8601({ strict: true }) changedAt: string;
  /**
   * The bot's capital (quote currency) at `changedAt`. Optional for producers that predate it. A change of capital
   * alone is also announced with this event, `previousStatus` equal to `status`.
   */
  @IsOptional() @IsDecimalString({ sign: 'positive' }) initialCapital?: string;
}
