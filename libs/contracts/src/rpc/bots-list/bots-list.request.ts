import { IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { BOT_STATUSES, BotStatus } from '../../bot-status-changed/bot-status-changed.payload';

export class BotsListRequest {
  @IsUUID() userId: string;
  @IsOptional() @IsIn(BOT_STATUSES) status?: BotStatus;
  @IsOptional() @IsInt() @Min(1) @Max(200) limit?: number;
}
