import { IsIn, IsIP, IsISO8601, IsObject, IsString, IsUUID, Length, Matches, ValidateIf } from 'class-validator';
import { HasNoSecrets } from '../validation/has-no-secrets.decorator';

export const AUDIT_OUTCOMES = ['success', 'failure'] as const;

/** Who did what to which resource; analytics stores it in audit.audit_logs. */
export class AuditRecordedPayload {
  /** null for anonymous or system actions (a failed login, a scheduled job). */
  @ValidateIf((_, v) => v !== null) @IsUUID() actorUserId: string | null;
  /** Dotted verb, e.g. `auth.login`, `api_key.created`, `bot.started`. */
  @Matches(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/) action: string;
  @Matches(/^[a-z][a-z0-9_]{0,63}$/) resourceType: string;
  @ValidateIf((_, v) => v !== null) @IsString() @Length(1, 128) resourceId: string | null;
  @IsIn(AUDIT_OUTCOMES) outcome: (typeof AUDIT_OUTCOMES)[number];
  @ValidateIf((_, v) => v !== null) @IsIP() ip: string | null;
  @ValidateIf((_, v) => v !== null) @IsString() @Length(0, 512) userAgent: string | null;
  /** Free-form context; keys that look like credentials are refused. */
  @IsObject() @HasNoSecrets() details: Record<string, unknown>;
  @IsISO8601({ strict: true }) recordedAt: string;
}
