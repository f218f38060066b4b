import { createHash, randomBytes } from 'node:crypto';

/** 32 random bytes, base64url: refresh tokens and password-reset tokens. Only the SHA-256 is stored. */
export function newOpaqueToken(): string {
  return randomBytes(32).toString('base64url');
}

export function sha256Hex(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
