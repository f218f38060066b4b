import { registerDecorator, ValidationOptions } from 'class-validator';

const MAX_KEYS = 64;

function isNumberRecord(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const entries = Object.entries(value);
  return entries.length <= MAX_KEYS && entries.every(([, v]) => v === null || (typeof v === 'number' && Number.isFinite(v)));
}

/** A flat object of finite numbers (or null while an indicator warms up): indicator snapshots. */
export function IsNumberRecord(validationOptions?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isNumberRecord',
      target: target.constructor,
      propertyName: propertyName as string,
      options: validationOptions,
      validator: {
        validate: isNumberRecord,
        defaultMessage: (args) => `${args?.property} must be an object of at most ${MAX_KEYS} finite numbers or nulls`,
      },
    });
  };
}
