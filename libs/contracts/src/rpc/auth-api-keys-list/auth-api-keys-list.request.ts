import { Type } from 'class-transformer';
import { IsOptional, IsUUID, ValidateNested } from 'class-validator';
import { RpcCaller } from '../rpc-caller/rpc-caller';

/** The caller's keys, masked. */
export class AuthApiKeysListRequest {
  @ValidateNested() @Type(() => RpcCaller) caller: RpcCaller;
  /** Admin only: another user's keys. */
  @IsOptional() @IsUUID() userId?: string;
}
