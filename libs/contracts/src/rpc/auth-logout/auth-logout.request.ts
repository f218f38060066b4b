import { Type } from 'class-transformer';
import { IsUUID, ValidateNested } from 'class-validator';
import { RpcCaller, RequestOrigin } from '../rpc-caller/rpc-caller';

/** Revokes the caller's login (its refresh-token family). */
export class AuthLogoutRequest {
  @ValidateNested() @Type(() => RpcCaller) caller: RpcCaller;
  /** The `sid` claim of the caller's access token. */
  @IsUUID() sessionId: string;
  @ValidateNested() @Type(() => RequestOrigin) origin: RequestOrigin;
}
