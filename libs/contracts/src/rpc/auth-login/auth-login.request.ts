import { Type } from 'class-transformer';
import { IsEmail, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { RequestOrigin } from '../rpc-caller/rpc-caller';

/** Password (+ TOTP) login; failed attempts count toward the lockout. */
export class AuthLoginRequest {
  @IsEmail() @MaxLength(255) email: string;
  @IsString() @MaxLength(256) password: string;
  /** Required once two-factor authentication is enabled. */
  @IsOptional() @Matches(/^\d{6}$/) totpCode?: string;
  @ValidateNested() @Type(() => RequestOrigin) origin: RequestOrigin;
}
