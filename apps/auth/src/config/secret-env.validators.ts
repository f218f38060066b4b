import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';

/**
 * Development defaults for secrets keep `npm run demo` working on a fresh clone; they are public
 * (in this file), so a production process refuses to start with any of them.
 */
export const DEV_JWT_SECRET = 'dev-only-jwt-secret-change-me-0123456789abcdef';
export const DEV_MASTER_KEY = Buffer.alloc(32, 7).toString('base64');
export const DEV_INTERNAL_RPC_TOKEN = 'dev-only-internal-rpc-token-change-me-0123456789';
const DEV_VALUES = new Set([DEV_JWT_SECRET, DEV_MASTER_KEY, DEV_INTERNAL_RPC_TOKEN]);

export function NotDevDefaultInProduction(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'notDevDefaultInProduction',
      target: target.constructor,
      propertyName,
      options: { message: `${propertyName} must be set in production (the development default is public)`, ...options },
      validator: {
        validate: (value: unknown, args: ValidationArguments) =>
          (args.object as { NODE_ENV?: string }).NODE_ENV !== 'production' || !DEV_VALUES.has(String(value)),
      },
    });
}

/** base64 of exactly 32 bytes: an AES-256 key. */
export function IsBase64Key32(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isBase64Key32',
      target: target.constructor,
      propertyName,
      options: { message: `${propertyName} must be base64 of 32 random bytes (openssl rand -base64 32)`, ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && isKey32(value) },
    });
}

export function isKey32(value: string): boolean {
  return /^[A-Za-z0-9+/]+={0,2}$/.test(value) && Buffer.from(value, 'base64').length === 32;
}

export const MASTER_KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

/** `id:base64key,id:base64key` (keys retired by a rotation, still needed to decrypt until `tradectl keys rotate` ran). */
export function IsPreviousMasterKeys(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isPreviousMasterKeys',
      target: target.constructor,
      propertyName,
      options: { message: `${propertyName} must be a comma-separated list of <keyId>:<base64 of 32 bytes>`, ...options },
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string') return false;
          try {
            parsePreviousMasterKeys(value);
            return true;
          } catch {
            return false;
          }
        },
      },
    });
}

export function parsePreviousMasterKeys(value: string): Map<string, Buffer> {
  const keys = new Map<string, Buffer>();
  for (const entry of value.split(',').map((s) => s.trim()).filter(Boolean)) {
    const at = entry.indexOf(':');
    const id = entry.slice(0, at);
    const key = entry.slice(at + 1);
    if (at < 1 || !MASTER_KEY_ID_PATTERN.test(id) || !isKey32(key)) throw new Error('malformed previous master key entry');
    keys.set(id, Buffer.from(key, 'base64'));
  }
  return keys;
}
