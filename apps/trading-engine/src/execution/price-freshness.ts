import type { Ticker } from '@trading/exchange';
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

/** Why a paper account cannot trade at the feed's price now (the codes are the gateway's 409 answers). */
export type PaperPriceProblem = 'NO_FRESH_PRICE' | 'PRICE_BEHIND_ACCOUNT';

export type PaperPriceVerdict =
  | { readonly usable: true; readonly ticker: Ticker }
  | { readonly usable: false; readonly problem: PaperPriceProblem; readonly message: string };

/**
 * Whether a paper account may trade now at the cached ticker: it must be fresh (`freshPrice`) and its exchange
 * time must not be older than the account's clock (the newest price time it has seen). A paper account never
 * goes back in time: the stops consumer ignores older market events, so an order placed at an older price would
 * book its fill before trades already booked, and a market order waiting for a newer price would rest until the
 * feed passes the clock. A ticker whose exchange time cannot be read cannot be placed in time: not usable either.
 */
export function paperPriceVerdict(symbol: string, cached: ReceivedTicker | null, options: { maxAgeMs: number; now: number; accountClock: number }): PaperPriceVerdict {
  const time = cached ? Date.parse(cached.ticker.time) : NaN;
  if (!cached || freshPrice(cached, options.maxAgeMs, options.now) === null || !Number.isFinite(time)) {
    return { usable: false, problem: 'NO_FRESH_PRICE', message: `no price newer than ${options.maxAgeMs / 1000} s for ${symbol}` };
  }
  if (time < options.accountClock) {
    const clock = new Date(options.accountClock).toISOString();
    return {
      usable: false,
      problem: 'PRICE_BEHIND_ACCOUNT',
      message: `the price of ${symbol} is from ${new Date(time).toISOString()}, before this paper account’s last price (${clock}): a paper account does not trade back in time; wait until the feed passes it`,
    };
  }
  const { last, bid, ask } = cached.ticker;
  return { usable: true, ticker: { symbol, timestamp: time, last, ...(bid ? { bid } : {}), ...(ask ? { ask } : {}) } };
}
