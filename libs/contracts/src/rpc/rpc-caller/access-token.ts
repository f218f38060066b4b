import type { UserRole } from './rpc-caller';

/** Claims of the access token (HS256 JWT) auth issues and the gateway verifies. */
export interface AccessTokenClaims {
  readonly sub: string;
  readonly role: UserRole;
  /** The session (one refresh token of a login) this token was issued with. */
  readonly sid: string;
  readonly iat?: number;
  readonly exp?: number;
}

/**
 * Redis key through which auth tells the gateways that the access token of a session (`sid`) died
 * before its expiry: logout, password change or reset, role change, refresh-token reuse.
 */
export const revokedSessionKey = (namespace: string, sid: string): string => `${namespace}auth:revoked:session:${sid}`;
