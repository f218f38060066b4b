import {
  ExchangeError,
  ExchangeFinalError,
  ExchangeFinalErrorCode,
  ExchangeRetryableError,
} from '../errors/exchange.error';

/**
 * ccxt error class -> our error kind. Matched on the class chain by name so the
 * mapper works without loading ccxt. Order matters: the most specific class
 * wins (RateLimitExceeded and InvalidNonce are NetworkErrors in ccxt, OrderNotFound is an InvalidOrder).
 */
const FINAL_BY_CLASS: ReadonlyArray<[string, ExchangeFinalErrorCode]> = [
  ['RateLimitExceeded', 'rate_limited'],
  ['InsufficientFunds', 'insufficient_funds'],
  ['OrderNotFound', 'order_not_found'],
  ['AuthenticationError', 'auth'],
  ['AccountSuspended', 'auth'],
  ['InvalidOrder', 'invalid_order'],
  ['BadSymbol', 'invalid_order'],
  ['BadRequest', 'invalid_order'],
  ['ArgumentsRequired', 'invalid_order'],
  ['OperationRejected', 'invalid_order'],
];

const RETRYABLE_CLASSES = ['NetworkError', 'RequestTimeout', 'ExchangeNotAvailable', 'DDoSProtection'];

export function ccxtErrorClassChain(error: unknown): string[] {
  const chain: string[] = [];
  // No instanceof: ccxt may live in another realm (see ccxt-loader).
  let proto = typeof error === 'object' && error !== null ? Object.getPrototypeOf(error) : null;
  while (proto && proto !== Object.prototype) {
    const name: string | undefined = proto.constructor?.name;
    if (!name || name === 'Error') break;
    chain.push(name);
    proto = Object.getPrototypeOf(proto);
  }
  return chain;
}

export function maskSecrets(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let masked = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) masked = masked.split(secret).join('***');
  }
  return masked;
}

/** The original error is not attached as `cause`: its message and request may carry credentials. */
export function mapCcxtError(error: unknown, secrets: ReadonlyArray<string | undefined> = []): ExchangeError {
  if (error instanceof ExchangeError) return error;
  const chain = ccxtErrorClassChain(error);
  const rawMessage = String((error as { message?: unknown } | null)?.message ?? error);
  const message = maskSecrets(`${chain[0] ?? 'Error'}: ${rawMessage}`, secrets);
  for (const [className, code] of FINAL_BY_CLASS) {
    if (chain.includes(className)) return new ExchangeFinalError(code, message);
  }
  if (chain.some((name) => RETRYABLE_CLASSES.includes(name))) return new ExchangeRetryableError(message);
  return new ExchangeFinalError('unknown', message);
}
