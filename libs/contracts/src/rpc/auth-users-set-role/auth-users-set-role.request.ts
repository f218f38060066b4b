import { Type } from 'class-transformer';
import { IsIn, IsUUID, ValidateNested } from 'class-validator';
import { RpcCaller, RequestOrigin, USER_ROLES, UserRole } from '../rpc-caller/rpc-caller';

/** Admin only: changes a user's role (audited). */
export class AuthUsersSetRoleRequest {
  @ValidateNested() @Type(() => RpcCaller) caller: RpcCaller;
  @IsUUID() userId: string;
  @IsIn(USER_ROLES) role: UserRole;
  @ValidateNested() @Type(() => RequestOrigin) origin: RequestOrigin;
}
