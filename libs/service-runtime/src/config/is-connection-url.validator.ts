import { registerDecorator, ValidationOptions } from 'class-validator';

/** A URL with one of the given protocols, e.g. `postgres:` or `redis:` (IP hosts allowed). */
export function IsConnectionUrl(protocols: string[], options?: ValidationOptions): PropertyDecorator {
  return (object: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isConnectionUrl',
      target: object.constructor,
      propertyName: propertyName as string,
      options: { message: `must be a URL starting with ${protocols.join(' or ')}//`, ...options },
      validator: {
        validate(value: unknown): boolean {
          if (typeof value !== 'string') return false;
          try {
            const url = new URL(value);
            return protocols.includes(url.protocol) && url.hostname.length > 0;
          } catch {
            return false;
          }
        },
      },
    });
}
