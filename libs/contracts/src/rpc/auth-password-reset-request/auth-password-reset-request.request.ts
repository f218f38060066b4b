import { Type } from 'class-transformer';
import { IsEmail, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { RequestOrigin } from '../rpc-caller/rpc-caller';

/** Issues a single-use reset token (stored hashed, expiring). Same answer whether the email exists or not. */
export class AuthPasswordResetRequestRequest {
  @IsEmail() @MaxLength(255) email: string;
  @ValidateNested() @Type(() => RequestOrigin) origin: RequestOrigin;
  /**
   * INTERNAL_RPC_TOKEN. Only with it does the answer carry the reset token (there is no mail yet:
   * operators hand it over from `tradectl user reset-token`); the gateway never sends it.
   */
  @IsOptional() @IsString() @MaxLength(256) internalToken?: string;
}
