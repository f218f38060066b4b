import { Type } from 'class-transformer';
import { IsISO8601, IsOptional, IsUUID, ValidateNested } from 'class-validator';
import { RpcCaller } from '../rpc-caller/rpc-caller';

/** A bot's equity curve between two instants (default: everything). */
export class AnalyticsEquityCurveGetRequest {
  @ValidateNested() @Type(() => RpcCaller) caller: RpcCaller;
  @IsUUID() botId: string;
  @IsOptional() @IsISO8601({ strict: true }) from?: string;
  @IsOptional() @IsISO8601({ strict: true }) to?: string;
}
