import { ClassConstructor, plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';

export class ConfigValidationError extends Error {
  constructor(
    readonly service: string,
    readonly violations: string[],
  ) {
    super(`Invalid configuration for ${service}:\n${violations.map((v) => `  - ${v}`).join('\n')}`);
    this.name = 'ConfigValidationError';
  }
}

/** A variable whose value must never be printed, even when it is invalid. */
const SECRET_VARIABLE = /(SECRET|PASSWORD|PASSPHRASE|TOKEN|KEY)(_|$)/i;

function shown(property: string, value: unknown): string {
  if (SECRET_VARIABLE.test(property) && value !== undefined) return '(value hidden)';
  if (/_URL$/.test(property) && typeof value === 'string') return `(got ${JSON.stringify(value.replace(/:\/\/([^:@/]*):[^@/]*@/, '://$1:***@'))})`;
  return `(got ${JSON.stringify(value)})`;
}

function describe(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((e) => {
    const name = `${prefix}${e.property}`;
    const own = Object.values(e.constraints ?? {}).map((msg) => `${name}: ${msg.replace(new RegExp(`^${e.property} `), '')} ${shown(e.property, e.value)}`);
    return [...own, ...describe(e.children ?? [], `${name}.`)];
  });
}

/**
 * Reads the environment into a typed, validated config object. Every violation is listed,
 * each naming its variable; unset variables take the class defaults. Empty strings count as unset.
 */
export function loadConfig<T extends object>(service: string, envClass: ClassConstructor<T>, env: NodeJS.ProcessEnv = process.env): T {
  const given = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const config = plainToInstance(envClass, given, { exposeDefaultValues: true });
  const errors = validateSync(config as object, { whitelist: false, forbidUnknownValues: false, skipMissingProperties: false });
  if (errors.length) throw new ConfigValidationError(service, describe(errors));
  return config;
}
