import { IsEmail, IsIn, IsString, MaxLength } from 'class-validator';
import { USER_ROLES, UserRole } from '../rpc-caller/rpc-caller';

/** Operator creates a user with a role (the first admin). */
export class AuthUsersCreateRequest {
  /** INTERNAL_RPC_TOKEN: operators only (`tradectl user create`), never reachable through the gateway. */
  @IsString() @MaxLength(256) internalToken: string;
  @IsEmail() @MaxLength(255) email: string;
  @IsString() @MaxLength(256) password: string;
  @IsIn(USER_ROLES) role: UserRole;
}
