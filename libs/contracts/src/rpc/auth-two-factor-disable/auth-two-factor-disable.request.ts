import { Type } from 'class-transformer';
import { Matches, ValidateNested } from 'class-validator';
import { RpcCaller, RequestOrigin } from '../rpc-caller/rpc-caller';

/** Turns TOTP off (needs a current code). */
export class AuthTwoFactorDisableRequest {
  @ValidateNested() @Type(() => RpcCaller) caller: RpcCaller;
  @Matches(/^\d{6}$/) code: string;
  @ValidateNested() @Type(() => RequestOrigin) origin: RequestOrigin;
}
