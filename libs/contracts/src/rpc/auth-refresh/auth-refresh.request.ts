import { Type } from 'class-transformer';
import { IsString, Length, ValidateNested } from 'class-validator';
import { RequestOrigin } from '../rpc-caller/rpc-caller';

/** Rotates a refresh token; a reused one revokes its whole family. */
export class AuthRefreshRequest {
  @IsString() @Length(20, 200) refreshToken: string;
  @ValidateNested() @Type(() => RequestOrigin) origin: RequestOrigin;
}
