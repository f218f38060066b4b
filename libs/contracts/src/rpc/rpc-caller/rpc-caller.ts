import { IsIn, IsIP, IsString, IsUUID, MaxLength, ValidateIf } from 'class-validator';

export const USER_ROLES = ['admin', 'trader', 'viewer'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/**
 * Who is asking: the gateway puts the authenticated user into every RPC request, and the owning
 * service enforces ownership with it (another user's resource is answered as not found; admin sees all).
 */
export class RpcCaller {
  @IsUUID() userId: string;
  @IsIn(USER_ROLES) role: UserRole;
}

/** Where an HTTP request came from, for sessions and audit records. */
export class RequestOrigin {
  @ValidateIf((_, v) => v !== null) @IsIP() ip: string | null;
  @ValidateIf((_, v) => v !== null) @IsString() @MaxLength(512) userAgent: string | null;
}
