import { Type } from 'class-transformer';
import { IsUUID, Matches, ValidateNested } from 'class-validator';
import { RpcCaller } from '../rpc-caller/rpc-caller';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A bot's daily summaries (UTC days from..to inclusive), from the daily_performance_summary view. */
export class AnalyticsDailyListRequest {
  @ValidateNested() @Type(() => RpcCaller) caller: RpcCaller;
  @IsUUID() botId: string;
  @Matches(DAY) from: string;
  @Matches(DAY) to: string;
}
