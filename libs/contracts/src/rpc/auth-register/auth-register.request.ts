import { Type } from 'class-transformer';
import { IsEmail, IsString, MaxLength, ValidateNested } from 'class-validator';
import { RequestOrigin } from '../rpc-caller/rpc-caller';

/** Creates a trader account (email unique). */
export class AuthRegisterRequest {
  @IsEmail() @MaxLength(255) email: string;
  /** Checked against the password policy by the service (a clear message names the rule). */
  @IsString() @MaxLength(256) password: string;
  @ValidateNested() @Type(() => RequestOrigin) origin: RequestOrigin;
}
