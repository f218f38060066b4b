import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { CursorPageRequest } from '../strategy-views/bot-settings';
import { STRATEGY_BOT_STATUSES, StrategyBotStatus } from '../strategy-views/strategy-views';

/** The caller's bots (every user's for an admin), newest first; archived ones only when asked. */
export class StrategyBotsListRequest extends CursorPageRequest {
  @IsOptional() @IsIn(STRATEGY_BOT_STATUSES) status?: StrategyBotStatus;
  @IsOptional() @IsBoolean() includeArchived?: boolean;
}
