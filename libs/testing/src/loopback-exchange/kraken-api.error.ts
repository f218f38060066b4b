/**
 * An error answered the way Kraken answers it: `{ "error": ["<severity><category>:<message>"] }`,
 * with HTTP 200 (Kraken reports API errors in the body, not in the status) unless told.
 */
export class KrakenApiError extends Error {
  constructor(
    readonly error: string,
    readonly status = 200,
  ) {
    super(`${status} ${error}`);
    this.name = 'KrakenApiError';
  }
}

/**
 * The texts ccxt's kraken class matches (exceptions.exact / .broad). Those marked "assumed" are
 * not in Kraken's error list; they are written in its `E<Category>:<message>` form.
 */
export const KRAKEN_ERRORS = {
  /** Wrong or missing API-Key, and a signature that does not match (Kraken answers both alike). */
  invalidKey: () => new KrakenApiError('EAPI:Invalid key'),
  invalidNonce: () => new KrakenApiError('EAPI:Invalid nonce'),
  unknownAssetPair: () => new KrakenApiError('EQuery:Unknown asset pair'),
  unknownAsset: () => new KrakenApiError('EQuery:Unknown asset'),
  invalidArguments: (name?: string) =>
    new KrakenApiError(name ? `EGeneral:Invalid arguments:${name}` : 'EGeneral:Invalid arguments'),
  unknownMethod: () => new KrakenApiError('EGeneral:Unknown method', 404),
  insufficientFunds: () => new KrakenApiError('EOrder:Insufficient funds'),
  orderMinimumNotMet: () => new KrakenApiError('EOrder:Order minimum not met'),
  costMinimumNotMet: () => new KrakenApiError('EOrder:Cost minimum not met'),
  invalidOrder: () => new KrakenApiError('EOrder:Invalid order'),
  unknownOrder: () => new KrakenApiError('EOrder:Unknown order'),
  /** Assumed: Kraken documents that cl_ord_id is unique among open orders, not the text it answers. */
  duplicateClOrdId: () => new KrakenApiError('EOrder:Duplicate cl_ord_id'),
  rateLimitExceeded: () => new KrakenApiError('EAPI:Rate limit exceeded'),
};
