import type { ReceivedTicker } from '@trading/market-cache';

/**
 * How long ago a cached price became known: now minus the later of its receipt by market-data and its exchange
 * time. A replay's tickers carry historical exchange times but a current receipt time, so a running replay's
 * price is current and a stopped one's goes stale. An entry without a receipt time (written by an older
 * market-data) is judged by its exchange time alone: a price cannot be received before it happened.
 * Infinity when neither time is known; a time ahead of `now` (clock skew) counts as age 0.
 */
export function priceAgeMs(cached: ReceivedTicker, now: number): number {
  const priced = Date.parse(cached.ticker.time);
  const known = Math.max(cached.receivedAt ?? -Infinity, Number.isFinite(priced) ? priced : -Infinity);
  return known === -Infinity ? Infinity : Math.max(0, now - known);
}

/** The cached price when it became known at most `maxAgeMs` ago, else null. */
export function freshPrice(cached: ReceivedTicker | null, maxAgeMs: number, now: number): string | null {
  return cached && priceAgeMs(cached, now) <= maxAgeMs ? cached.ticker.last : null;
}
