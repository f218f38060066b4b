import Decimal from 'decimal.js';
import { FeedTicker } from './market-feed';

/** A ticker as ccxt hands it over: unified numbers (ccxt Pro) or decimal strings (the REST exchange adapter). */
export interface RawTicker {
  readonly timestamp?: number | null;
  readonly last?: number | string | null;
  readonly bid?: number | string | null;
  readonly ask?: number | string | null;
  readonly baseVolume?: number | string | null;
}

export type CheckedTicker = { readonly ticker: FeedTicker; readonly refused?: undefined } | { readonly ticker?: undefined; readonly refused: string };

function decimal(value: number | string | null | undefined): Decimal | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  try {
    const parsed = new Decimal(value);
    return parsed.isFinite() ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Validates an exchange's ticker into what the ingest path stores and publishes. Without a positive
 * last price it is refused. A missing or non-positive bid or ask (an empty side of the book) falls
 * back to the last price, as the REST feed does, since MarketTickerUpdated carries positive ones; a
 * missing or negative volume becomes 0; a missing exchange time becomes the local clock.
 */
export function toFeedTicker(exchange: string, symbol: string, raw: RawTicker, now: number): CheckedTicker {
  const last = decimal(raw.last);
  if (!last || !last.isPositive() || last.isZero()) return { refused: `ticker without a positive last price (${String(raw.last)})` };
  const side = (value: RawTicker['bid']) => {
    const parsed = decimal(value);
    return parsed && parsed.isPositive() && !parsed.isZero() ? parsed : last;
  };
  const volume = decimal(raw.baseVolume);
  const time = typeof raw.timestamp === 'number' && Number.isSafeInteger(raw.timestamp) && raw.timestamp > 0 ? raw.timestamp : now;
  return {
    ticker: {
      exchange,
      symbol,
      last: last.toFixed(),
      bid: side(raw.bid).toFixed(),
      ask: side(raw.ask).toFixed(),
      baseVolume: volume && volume.isPositive() ? volume.toFixed() : '0',
      time,
    },
  };
}
