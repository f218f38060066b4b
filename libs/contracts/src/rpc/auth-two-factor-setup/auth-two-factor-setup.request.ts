import { Type } from 'class-transformer';
import { ValidateNested } from 'class-validator';
import { RpcCaller } from '../rpc-caller/rpc-caller';

/** Starts TOTP enrollment: a new secret, shown once; enabled only after a valid code. */
export class AuthTwoFactorSetupRequest {
  @ValidateNested() @Type(() => RpcCaller) caller: RpcCaller;
}
