import { Type } from 'class-transformer';
import { IsUUID, ValidateNested } from 'class-validator';
import { RpcCaller, RequestOrigin } from '../rpc-caller/rpc-caller';

/** Deletes a key; another user's key is not found (admin may delete any). */
export class AuthApiKeysDeleteRequest {
  @ValidateNested() @Type(() => RpcCaller) caller: RpcCaller;
  @IsUUID() keyId: string;
  @ValidateNested() @Type(() => RequestOrigin) origin: RequestOrigin;
}
