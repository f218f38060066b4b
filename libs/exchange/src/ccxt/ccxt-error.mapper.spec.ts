import { ExchangeFinalError, ExchangeRetryableError } from '../errors/exchange.error';
import { mapCcxtError, maskSecrets } from './ccxt-error.mapper';
import { loadCcxt } from './ccxt-loader';

describe('mapCcxtError', () => {
  const ccxt = loadCcxt();

  it.each([
    ['RequestTimeout', ccxt.RequestTimeout],
    ['ExchangeNotAvailable', ccxt.ExchangeNotAvailable],
    ['OnMaintenance', ccxt.OnMaintenance],
    ['DDoSProtection', ccxt.DDoSProtection],
    ['NetworkError', ccxt.NetworkError],
    ['InvalidNonce', ccxt.InvalidNonce],
  ])('%s is retryable', (_name, ErrorClass) => {
    const mapped = mapCcxtError(new ErrorClass('x'));
    expect(mapped).toBeInstanceOf(ExchangeRetryableError);
    expect(mapped.retryable).toBe(true);
  });

  it.each([
    ['RateLimitExceeded', ccxt.RateLimitExceeded, 'rate_limited'],
    ['InsufficientFunds', ccxt.InsufficientFunds, 'insufficient_funds'],
    ['OrderNotFound', ccxt.OrderNotFound, 'order_not_found'],
    ['InvalidOrder', ccxt.InvalidOrder, 'invalid_order'],
    ['DuplicateOrderId', ccxt.DuplicateOrderId, 'invalid_order'],
    ['BadSymbol', ccxt.BadSymbol, 'invalid_order'],
    ['BadRequest', ccxt.BadRequest, 'invalid_order'],
    ['AuthenticationError', ccxt.AuthenticationError, 'auth'],
    ['PermissionDenied', ccxt.PermissionDenied, 'auth'],
    ['ExchangeError', ccxt.ExchangeError, 'unknown'],
    ['OperationFailed', ccxt.OperationFailed, 'unknown'],
  ] as const)('%s is final %s', (_name, ErrorClass, code) => {
    const mapped = mapCcxtError(new ErrorClass('x'));
    expect(mapped).toBeInstanceOf(ExchangeFinalError);
    expect((mapped as ExchangeFinalError).code).toBe(code);
  });

  it('maps anything else to a final unknown error', () => {
    expect((mapCcxtError(new TypeError('boom')) as ExchangeFinalError).code).toBe('unknown');
    expect((mapCcxtError('a string') as ExchangeFinalError).code).toBe('unknown');
  });

  it('masks credentials in the message', () => {
    const mapped = mapCcxtError(new ccxt.AuthenticationError('binance key=AKIA1234 secret=s3cr3t-value'), [
      'AKIA1234',
      's3cr3t-value',
    ]);
    expect(mapped.message).toBe('AuthenticationError: binance key=*** secret=***');
    expect(maskSecrets('abc', [undefined, 'ab'])).toBe('abc');
  });
});
