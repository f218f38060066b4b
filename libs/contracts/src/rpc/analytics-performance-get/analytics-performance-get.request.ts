import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsUUID, Max, Min, ValidateIf, ValidateNested } from 'class-validator';
import { RpcCaller } from '../rpc-caller/rpc-caller';

/** A bot's performance (botId), or the caller's whole account (botId null). */
export class AnalyticsPerformanceGetRequest {
  @ValidateNested() @Type(() => RpcCaller) caller: RpcCaller;
  @ValidateIf((_, v) => v !== null) @IsUUID() botId: string | null;
  /** How many most recent days to include; default 30. */
  @IsOptional() @IsInt() @Min(0) @Max(366) days?: number;
}
