import { Type } from 'class-transformer';
import { ValidateNested } from 'class-validator';
import { RpcCaller } from '../rpc-caller/rpc-caller';

/** The caller's own account. */
export class AuthMeRequest {
  @ValidateNested() @Type(() => RpcCaller) caller: RpcCaller;
}
