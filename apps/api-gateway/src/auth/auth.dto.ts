import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { USER_ROLES, UserRole } from '@trading/contracts';
import { IsEmail, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';

const PASSWORD_HINT = '12 to 128 characters with a lowercase letter, an uppercase letter and a digit';

export class RegisterDto {
  @ApiProperty({ example: 'alice@example.com', maxLength: 255 }) @IsEmail() @MaxLength(255) email: string;
  @ApiProperty({ example: 'Correct-Horse-Battery-9', description: PASSWORD_HINT }) @IsString() @MaxLength(256) password: string;
}

export class LoginDto {
  @ApiProperty({ example: 'alice@example.com' }) @IsEmail() @MaxLength(255) email: string;
  @ApiProperty({ example: 'Correct-Horse-Battery-9' }) @IsString() @MaxLength(256) password: string;
  @ApiPropertyOptional({ example: '123456', description: 'TOTP code, required once two-factor authentication is enabled' })
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'totpCode must be 6 digits' })
  totpCode?: string;
}

export class RefreshDto {
  @ApiProperty({ example: 'q0Q2bW1hT9x0m3yJ9hXb0Q0oQm0xv7n8c1d2e3f4g5h', description: 'The refresh token of the last login or refresh (single use)' })
  @IsString()
  @Length(20, 200)
  refreshToken: string;
}

export class ChangePasswordDto {
  @ApiProperty({ example: 'Correct-Horse-Battery-9' }) @IsString() @MaxLength(256) currentPassword: string;
  @ApiProperty({ example: 'Another-Long-Passw0rd', description: PASSWORD_HINT }) @IsString() @MaxLength(256) newPassword: string;
}

export class PasswordResetRequestDto {
  @ApiProperty({ example: 'alice@example.com' }) @IsEmail() @MaxLength(255) email: string;
}

export class PasswordResetConfirmDto {
  @ApiProperty({ example: 'x4B0hQ7yK2mN9pR3sT6vW8zA1cE5fG7jL0oP2qU4wY6', description: 'Reset token (issued by an operator: no mail yet)' })
  @IsString()
  @Length(20, 200)
  token: string;

  @ApiProperty({ example: 'Another-Long-Passw0rd', description: PASSWORD_HINT }) @IsString() @MaxLength(256) newPassword: string;
}

export class TotpCodeDto {
  @ApiProperty({ example: '123456' }) @Matches(/^\d{6}$/, { message: 'code must be 6 digits' }) code: string;
}

export class UserDto {
  @ApiProperty({ example: '0193a0b2-7c1e-7d3a-9f00-5b1c2d3e4f50', format: 'uuid' }) id: string;
  @ApiProperty({ example: 'alice@example.com' }) email: string;
  @ApiProperty({ enum: USER_ROLES, example: 'trader' }) role: UserRole;
  @ApiProperty({ example: true }) isActive: boolean;
  @ApiProperty({ example: false }) twoFactorEnabled: boolean;
  @ApiProperty({ example: '2026-01-05T10:00:00.000Z', format: 'date-time' }) createdAt: string;
  @ApiProperty({ example: '2026-01-06T08:30:00.000Z', format: 'date-time', nullable: true, type: String }) lastLoginAt: string | null;
}

export class TokensDto {
  @ApiProperty({ example: 'Bearer', enum: ['Bearer'] }) tokenType: 'Bearer';
  @ApiProperty({ example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIuLi4ifQ.c2lnbmF0dXJl' }) accessToken: string;
  @ApiProperty({ example: 900, description: 'Seconds until the access token expires' }) expiresIn: number;
  @ApiProperty({ example: 'q0Q2bW1hT9x0m3yJ9hXb0Q0oQm0xv7n8c1d2e3f4g5h', description: 'Single use; reusing an old one revokes the whole login' })
  refreshToken: string;
  @ApiProperty({ example: '2026-02-05T10:00:00.000Z', format: 'date-time' }) refreshExpiresAt: string;
  @ApiProperty({ type: UserDto }) user: UserDto;
}

export class TwoFactorSetupDto {
  @ApiProperty({ example: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', description: 'Shown once: add it to an authenticator app' }) secret: string;
  @ApiProperty({ example: 'otpauth://totp/Trading%20Platform:alice%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=Trading%20Platform' })
  otpauthUrl: string;
}
