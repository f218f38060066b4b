/** An error answered the way Binance answers it: HTTP status plus `{ code, msg }`. */
export class BinanceApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    readonly msg: string,
  ) {
    super(`${status} ${code} ${msg}`);
    this.name = 'BinanceApiError';
  }

  static badRequest(code: number, msg: string): BinanceApiError {
    return new BinanceApiError(400, code, msg);
  }
}

export const BINANCE_ERRORS = {
  duplicateOrder: () => BinanceApiError.badRequest(-2010, 'Duplicate order sent.'),
  insufficientBalance: () =>
    BinanceApiError.badRequest(-2010, 'Account has insufficient balance for requested action.'),
  limitMakerWouldMatch: () => BinanceApiError.badRequest(-2010, 'Order would immediately match and take.'),
  orderDoesNotExist: () => BinanceApiError.badRequest(-2013, 'Order does not exist.'),
  unknownOrderSent: () => BinanceApiError.badRequest(-2011, 'Unknown order sent.'),
  invalidSymbol: () => BinanceApiError.badRequest(-1121, 'Invalid symbol.'),
  mandatoryParameter: (name: string) =>
    BinanceApiError.badRequest(-1102, `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.`),
  filterFailure: (filter: string) => BinanceApiError.badRequest(-1013, `Filter failure: ${filter}`),
  timestampOutsideRecvWindow: () =>
    BinanceApiError.badRequest(-1021, 'Timestamp for this request is outside of the recvWindow.'),
  invalidSignature: () => BinanceApiError.badRequest(-1022, 'Signature for this request is not valid.'),
  apiKeyFormatInvalid: () => new BinanceApiError(401, -2014, 'API-key format invalid.'),
  invalidApiKey: () => new BinanceApiError(401, -2015, 'Invalid API-key, IP, or permissions for action.'),
  tooManyRequests: () =>
    new BinanceApiError(429, -1003, 'Too much request weight used; current limit is 6000 request weight per 1 MINUTE.'),
};
