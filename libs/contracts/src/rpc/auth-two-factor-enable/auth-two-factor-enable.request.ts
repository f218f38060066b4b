import { Type } from 'class-transformer';
import { Matches, ValidateNested } from 'class-validator';
import { RpcCaller, RequestOrigin } from '../rpc-caller/rpc-caller';

/** Completes TOTP enrollment with a code from the authenticator. */
export class AuthTwoFactorEnableRequest {
  @ValidateNested() @Type(() => RpcCaller) caller: RpcCaller;
  @Matches(/^\d{6}$/) code: string;
  @ValidateNested() @Type(() => RequestOrigin) origin: RequestOrigin;
}
