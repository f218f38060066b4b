import { registerDecorator, ValidationOptions } from 'class-validator';

/** What is deep-merged into one exchange's ccxt client. */
export interface CcxtOverrides {
  readonly urls?: Record<string, unknown>;
  readonly options?: Record<string, unknown>;
  /**
   * ccxt's client-side rate limiter (on unless told). Off only in front of a server that does not limit: against
   * a loopback server ccxt's Kraken throttle alone makes one live signal wait ~12 s (measured).
   */
  readonly enableRateLimit?: boolean;
}

/** Per exchange id (`binance`), from EXCHANGE_OVERRIDES. */
export type ExchangeOverrides = Readonly<Record<string, CcxtOverrides>>;

const EXCHANGE_ID = /^[a-z0-9_]{2,50}$/;
const OVERRIDE_KEYS = new Set(['urls', 'options', 'enableRateLimit']);

export class InvalidExchangeOverridesError extends Error {
  constructor(detail: string) {
    super(detail);
    this.name = 'InvalidExchangeOverridesError';
  }
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every string under `urls` must be an http(s) URL: a typo must not send requests somewhere unexpected. */
function checkUrls(value: unknown, path: string): void {
  if (typeof value === 'string') {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new InvalidExchangeOverridesError(`${path} is not a URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new InvalidExchangeOverridesError(`${path} must be an http(s) URL`);
    return;
  }
  if (!isPlainObject(value)) throw new InvalidExchangeOverridesError(`${path} must be a URL or an object of URLs`);
  for (const [key, inner] of Object.entries(value)) checkUrls(inner, `${path}.${key}`);
}

/** Parses EXCHANGE_OVERRIDES; unset or empty = no overrides. Throws InvalidExchangeOverridesError naming the bad part. */
export function parseExchangeOverrides(text: string | undefined): ExchangeOverrides {
  if (text === undefined || text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new InvalidExchangeOverridesError('is not valid JSON');
  }
  if (!isPlainObject(parsed)) throw new InvalidExchangeOverridesError('must be a JSON object keyed by exchange id');
  const result: Record<string, CcxtOverrides> = {};
  for (const [exchange, overrides] of Object.entries(parsed)) {
    if (!EXCHANGE_ID.test(exchange)) throw new InvalidExchangeOverridesError(`"${exchange}" is not an exchange id`);
    if (!isPlainObject(overrides))
      throw new InvalidExchangeOverridesError(
        `${exchange} must be an object with "urls", "options" and/or "enableRateLimit"`,
      );
    const unknown = Object.keys(overrides).filter((k) => !OVERRIDE_KEYS.has(k));
    if (unknown.length)
      throw new InvalidExchangeOverridesError(
        `${exchange} has unknown keys ${unknown.join(', ')} (only "urls", "options" and "enableRateLimit")`,
      );
    const { urls, options, enableRateLimit } = overrides;
    if (urls !== undefined) {
      if (!isPlainObject(urls)) throw new InvalidExchangeOverridesError(`${exchange}.urls must be an object`);
      checkUrls(urls, `${exchange}.urls`);
    }
    if (options !== undefined && !isPlainObject(options))
      throw new InvalidExchangeOverridesError(`${exchange}.options must be an object`);
    if (enableRateLimit !== undefined && typeof enableRateLimit !== 'boolean')
      throw new InvalidExchangeOverridesError(`${exchange}.enableRateLimit must be true or false`);
    result[exchange] = {
      ...(urls ? { urls } : {}),
      ...(options ? { options: options as Record<string, unknown> } : {}),
      ...(enableRateLimit !== undefined ? { enableRateLimit } : {}),
    };
  }
  return result;
}

/** Config validation: the variable parses with parseExchangeOverrides (its message is the violation). */
export function IsExchangeOverrides(options?: ValidationOptions): PropertyDecorator {
  return (object: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isExchangeOverrides',
      target: object.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate(value: unknown): boolean {
          if (typeof value !== 'string') return false;
          try {
            parseExchangeOverrides(value);
            return true;
          } catch {
            return false;
          }
        },
        defaultMessage(args): string {
          try {
            parseExchangeOverrides(String(args?.value));
          } catch (error) {
            if (error instanceof InvalidExchangeOverridesError)
              return `${error.message}: expected {"<exchange>": {"urls": {...}, "options": {...}, "enableRateLimit": true}}`;
          }
          return 'must be a JSON string';
        },
      },
    });
}
