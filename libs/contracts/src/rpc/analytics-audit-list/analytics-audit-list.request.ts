import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { RpcCaller } from '../rpc-caller/rpc-caller';

/** Admin only: the audit log, newest first, optionally of one user; page with nextCursor. */
export class AnalyticsAuditListRequest {
  @ValidateNested() @Type(() => RpcCaller) caller: RpcCaller;
  @IsOptional() @IsUUID() userId?: string;
  @IsInt() @Min(1) @Max(500) limit: number;
  @IsOptional() @IsString() @MaxLength(200) cursor?: string;
}
