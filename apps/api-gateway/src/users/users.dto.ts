import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { USER_ROLES, UserRole } from '@trading/contracts';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { UserDto } from '../auth/auth.dto';

export class ListUsersQuery {
  @ApiPropertyOptional({ example: 50, minimum: 1, maximum: 500 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
  @ApiPropertyOptional({ description: '`next` of the previous page' }) @IsOptional() @IsString() @MaxLength(200) cursor?: string;
}

export class SetRoleDto {
  @ApiProperty({ enum: USER_ROLES, example: 'viewer' }) @IsIn(USER_ROLES) role: UserRole;
}

export class UsersPageDto {
  @ApiProperty({ type: [UserDto] }) items: UserDto[];
  @ApiProperty({ nullable: true, type: String, example: null }) next: string | null;
}
