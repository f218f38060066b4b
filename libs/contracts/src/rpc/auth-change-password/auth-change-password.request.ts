import { Type } from 'class-transformer';
import { IsString, MaxLength, ValidateNested } from 'class-validator';
import { RpcCaller, RequestOrigin } from '../rpc-caller/rpc-caller';

/** Changes the caller's password and revokes every session. */
export class AuthChangePasswordRequest {
  @ValidateNested() @Type(() => RpcCaller) caller: RpcCaller;
  @IsString() @MaxLength(256) currentPassword: string;
  @IsString() @MaxLength(256) newPassword: string;
  @ValidateNested() @Type(() => RequestOrigin) origin: RequestOrigin;
}
