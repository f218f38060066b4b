import { createHash } from 'node:crypto';

/** Binance's rule for newClientOrderId (the strictest of the exchanges the engine targets). */
const EXCHANGE_CLIENT_ID = /^[.A-Z:/a-z0-9_-]{1,36}$/;

/**
 * The client order id of a live signal's i-th order (0 = first): the signal id itself, as paper uses it, when the
 * exchange accepts it; else (too long) a deterministic 32-character digest of it, so a redelivered signal still
 * maps to the same id and the UNIQUE client_order_id refuses a second order.
 */
export function liveClientOrderId(signalId: string, index: number): string {
  const plain = index === 0 ? signalId : `${signalId}-${index + 1}`;
  if (EXCHANGE_CLIENT_ID.test(plain)) return plain;
  return createHash('sha256').update(`${signalId}#${index}`).digest('base64url').slice(0, 32);
}
