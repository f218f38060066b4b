import { IsOptional, IsUUID } from 'class-validator';
import { CursorPageRequest } from '../strategy-views/bot-settings';

/** Signals of one bot (newest candle first) or of all the caller's bots (newest first). */
export class StrategySignalsListRequest extends CursorPageRequest {
  @IsOptional() @IsUUID() botId?: string;
}
