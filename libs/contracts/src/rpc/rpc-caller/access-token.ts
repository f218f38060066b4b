import type { UserRole } from './rpc-caller';

/** Claims of the access token (HS256 JWT) auth issues and the gateway verifies. */
export interface AccessTokenClaims {
  readonly sub: string;
  readonly role: UserRole;
  /** The login (refresh-token family) this token belongs to. */
  readonly sid: string;
  readonly iat?: number;
  readonly exp?: number;
}

/**
 * Redis keys through which auth tells the gateways that access tokens died before their expiry:
 * a logged-out login (`sid`), or every token of a user issued before a time (epoch seconds) after a
 * password change or a refresh-token reuse.
 */
export const revokedSessionKey = (namespace: string, sid: string): string => `${namespace}auth:revoked:session:${sid}`;
export const revokedUserKey = (namespace: string, userId: string): string => `${namespace}auth:revoked:user:${userId}`;
