import type { UserRole } from '../rpc-caller/rpc-caller';

/** A user as the auth service shows it: never the password hash, the TOTP secret or lockout internals. */
export interface AuthUserView {
  readonly id: string;
  readonly email: string;
  readonly role: UserRole;
  readonly isActive: boolean;
  readonly twoFactorEnabled: boolean;
  readonly createdAt: string;
  readonly lastLoginAt: string | null;
}

export interface AuthTokens {
  readonly tokenType: 'Bearer';
  readonly accessToken: string;
  /** Seconds until the access token expires. */
  readonly expiresIn: number;
  /** Single use: each refresh returns a new one; reusing an old one revokes the whole login. */
  readonly refreshToken: string;
  readonly refreshExpiresAt: string;
  readonly user: AuthUserView;
}

/** A stored exchange key as listed: the key masked, never the secret or passphrase. */
export interface ApiKeyView {
  readonly id: string;
  readonly userId: string;
  readonly exchange: string;
  readonly label: string;
  readonly apiKeyMasked: string;
  readonly hasPassphrase: boolean;
  readonly testnet: boolean;
  readonly isActive: boolean;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
}

export interface Ack {
  readonly ok: true;
}
