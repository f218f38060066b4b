import { Type } from 'class-transformer';
import { IsUUID, ValidateNested } from 'class-validator';
import { RpcCaller } from '../rpc-caller/rpc-caller';

/** A user: the caller themself, or anyone for an admin (others: not found). */
export class AuthUsersGetRequest {
  @ValidateNested() @Type(() => RpcCaller) caller: RpcCaller;
  @IsUUID() userId: string;
}
