import { createHash } from 'node:crypto';

/** Binance's rule for newClientOrderId. */
const BINANCE_CLIENT_ID = /^[.A-Z:/a-z0-9_-]{1,36}$/;
/** Kraken's rule for cl_ord_id: a long UUID, a short UUID (32 hex digits) or up to 18 characters of free text. */
const KRAKEN_CLIENT_ID =
  /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32}|[\x21-\x7e]{1,18})$/i;

/** Whether the exchange takes `id` as it is; an exchange not listed gets an id every listed one takes. */
function acceptedBy(exchange: string, id: string): boolean {
  if (exchange.startsWith('binance')) return BINANCE_CLIENT_ID.test(id);
  if (exchange === 'kraken') return KRAKEN_CLIENT_ID.test(id);
  return BINANCE_CLIENT_ID.test(id) && KRAKEN_CLIENT_ID.test(id);
}

/** A UUID (version 8: our own layout) made of the digest: the one form every exchange above accepts. */
function uuidOf(text: string): string {
  const bytes = createHash('sha256').update(text).digest().subarray(0, 16);
  bytes.writeUInt8((bytes.readUInt8(6) & 0x0f) | 0x80, 6);
  bytes.writeUInt8((bytes.readUInt8(8) & 0x3f) | 0x80, 8);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The client order id of a live signal's i-th order (0 = first) on `exchange`: the signal id itself, as paper uses
 * it, when the exchange accepts it (Binance); else (Kraken takes no 32-character free text) a deterministic UUID
 * derived from it, so a redelivered signal still maps to the same id and the UNIQUE client_order_id refuses a
 * second order.
 */
export function liveClientOrderId(exchange: string, signalId: string, index: number): string {
  const plain = index === 0 ? signalId : `${signalId}-${index + 1}`;
  if (acceptedBy(exchange, plain)) return plain;
  return uuidOf(`${signalId}#${index}`);
}
