import { Type } from 'class-transformer';
import { IsString, Length, MaxLength, ValidateNested } from 'class-validator';
import { RequestOrigin } from '../rpc-caller/rpc-caller';

/** Sets a new password with a reset token; revokes every session. */
export class AuthPasswordResetConfirmRequest {
  @IsString() @Length(20, 200) token: string;
  @IsString() @MaxLength(256) newPassword: string;
  @ValidateNested() @Type(() => RequestOrigin) origin: RequestOrigin;
}
