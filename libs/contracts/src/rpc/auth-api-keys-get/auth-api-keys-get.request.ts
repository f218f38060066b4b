import { Type } from 'class-transformer';
import { IsUUID, ValidateNested } from 'class-validator';
import { RpcCaller } from '../rpc-caller/rpc-caller';

/** One key, masked; another user's key is not found (admin sees all). */
export class AuthApiKeysGetRequest {
  @ValidateNested() @Type(() => RpcCaller) caller: RpcCaller;
  @IsUUID() keyId: string;
}
