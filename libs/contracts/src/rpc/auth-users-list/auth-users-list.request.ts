import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { RpcCaller } from '../rpc-caller/rpc-caller';

/** Admin only: every user, newest first. */
export class AuthUsersListRequest {
  @ValidateNested() @Type(() => RpcCaller) caller: RpcCaller;
  @IsOptional() @IsInt() @Min(1) @Max(500) limit?: number;
  /** `next` of the previous page. */
  @IsOptional() @IsString() @MaxLength(200) cursor?: string;
}
