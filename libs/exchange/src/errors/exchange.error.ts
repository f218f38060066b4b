export type ExchangeFinalErrorCode =
  'insufficient_funds' | 'invalid_order' | 'order_not_found' | 'auth' | 'rate_limited' | 'unknown';

export abstract class ExchangeError extends Error {
  abstract readonly retryable: boolean;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A transient failure (network, timeout, exchange unavailable, DDoS protection): the same call may be tried again later. */
export class ExchangeRetryableError extends ExchangeError {
  readonly retryable = true;
}

/** The exchange answered and refused; repeating the same request will not help. */
export class ExchangeFinalError extends ExchangeError {
  readonly retryable = false;

  constructor(
    readonly code: ExchangeFinalErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * createOrder failed in transit and the exchange then said it has no order with
 * this client order id: it is safe to send it again with the same client order id.
 */
export class OrderNotPlacedError extends ExchangeRetryableError {
  constructor(
    readonly clientOrderId: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * createOrder failed in transit and the lookup by client order id failed too:
 * the order may exist. Never send it again; reconcile later with
 * fetchOrder({ symbol, clientOrderId }).
 */
export class OrderOutcomeUnknownError extends ExchangeFinalError {
  constructor(
    readonly clientOrderId: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('unknown', message, options);
  }
}
