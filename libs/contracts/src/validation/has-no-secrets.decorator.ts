import { registerDecorator, ValidationOptions } from 'class-validator';

// Key names that must never reach an audit trail, matched anywhere in the key
// (apiSecret, x-api-key, refreshToken, ...).
const SECRET_KEY = /pass(word|phrase)?|secret|token|api[-_]?key|private[-_]?key|otp|totp|authorization|cookie|session/i;
const MAX_DEPTH = 8;

export function findSecretKeys(value: unknown, path = '', depth = 0): string[] {
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return [];
  const found: string[] = [];
  for (const [key, child] of Object.entries(value)) {
    const here = path ? `${path}.${key}` : key;
    if (SECRET_KEY.test(key)) found.push(here);
    found.push(...findSecretKeys(child, here, depth + 1));
  }
  return found;
}

/** Rejects objects carrying keys that look like credentials, at any depth. */
export function HasNoSecrets(validationOptions?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'hasNoSecrets',
      target: target.constructor,
      propertyName: propertyName as string,
      options: validationOptions,
      validator: {
        validate: (value: unknown) => findSecretKeys(value).length === 0,
        defaultMessage: (args) => `${args?.property} must not contain secrets (found ${findSecretKeys(args?.value).join(', ')})`,
      },
    });
  };
}
