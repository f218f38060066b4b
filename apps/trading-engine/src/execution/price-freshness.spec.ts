import { freshPrice, paperPriceVerdict, priceAgeMs } from './price-freshness';

const NOW = Date.parse('2026-03-01T12:00:00.000Z');
const cached = (time: string, receivedAt: number | null) => ({
  ticker: { last: '40000', bid: '40000', ask: '40000', baseVolume: '1', time },
  receivedAt,
});

describe('price freshness of a cached ticker', () => {
  it('measures a replay’s price by when it was received, not by its historical exchange time', () => {
    // priced 2021-01-03, cached 5 s ago: 5 s old
    expect(priceAgeMs(cached('2021-01-03T23:59:00.000Z', NOW - 5_000), NOW)).toBe(5_000);
    expect(freshPrice(cached('2021-01-03T23:59:00.000Z', NOW - 5_000), 60_000, NOW)).toBe('40000');
  });

  it('calls a price received longer ago than the limit stale, whatever its exchange time', () => {
    // received 2 h ago (the replay stopped then): 7 200 s > 60 s
    expect(priceAgeMs(cached('2021-01-03T23:59:00.000Z', NOW - 7_200_000), NOW)).toBe(7_200_000);
    expect(freshPrice(cached('2021-01-03T23:59:00.000Z', NOW - 7_200_000), 60_000, NOW)).toBeNull();
    // exactly at the limit is still fresh; 1 ms over is not
    expect(freshPrice(cached('2021-01-03T23:59:00.000Z', NOW - 60_000), 60_000, NOW)).toBe('40000');
    expect(freshPrice(cached('2021-01-03T23:59:00.000Z', NOW - 60_001), 60_000, NOW)).toBeNull();
  });

  it('judges an entry without a receipt time by its exchange time', () => {
    expect(priceAgeMs(cached('2026-03-01T11:59:30.000Z', null), NOW)).toBe(30_000);
    expect(freshPrice(cached('2026-03-01T10:00:00.000Z', null), 60_000, NOW)).toBeNull();
    // a time ahead of the clock (skew) is age 0, not negative
    expect(priceAgeMs(cached('2026-03-01T12:00:02.000Z', null), NOW)).toBe(0);
  });

  it('is stale when no time is known, and when nothing is cached', () => {
    expect(priceAgeMs(cached('not a time', null), NOW)).toBe(Infinity);
    expect(freshPrice(cached('not a time', null), 3_600_000, NOW)).toBeNull();
    expect(freshPrice(null, 60_000, NOW)).toBeNull();
  });

  describe('whether a paper account may trade at it now', () => {
    const CLOCK = Date.parse('2021-01-04T00:00:00.000Z'); // the account's newest price time
    const verdict = (time: string, receivedAt: number | null) => paperPriceVerdict('BTC/USDT', cached(time, receivedAt), { maxAgeMs: 60_000, now: NOW, accountClock: CLOCK });

    it('is usable when fresh and not older than the account’s clock (equal is not older)', () => {
      expect(verdict('2021-01-04T00:00:00.000Z', NOW - 5_000)).toEqual({ usable: true, ticker: { symbol: 'BTC/USDT', timestamp: CLOCK, last: '40000', bid: '40000', ask: '40000' } });
      expect(verdict('2021-01-04T00:01:00.000Z', NOW)).toMatchObject({ usable: true, ticker: { timestamp: CLOCK + 60_000 } });
    });

    it('refuses a fresh price older than the account’s clock: a replay restarted on an older day', () => {
      expect(verdict('2021-01-03T23:59:59.999Z', NOW)).toEqual({
        usable: false,
        problem: 'PRICE_BEHIND_ACCOUNT',
        message: 'the price of BTC/USDT is from 2021-01-03T23:59:59.999Z, before this paper account’s last price (2021-01-04T00:00:00.000Z): a paper account does not trade back in time; wait until the feed passes it',
      });
    });

    it('refuses a stale price, a fresh one without a readable time, and no price, as NO_FRESH_PRICE', () => {
      const noFreshPrice = { usable: false, problem: 'NO_FRESH_PRICE', message: 'no price newer than 60 s for BTC/USDT' };
      expect(verdict('2021-01-05T00:00:00.000Z', NOW - 60_001)).toEqual(noFreshPrice);
      expect(verdict('not a time', NOW)).toEqual(noFreshPrice);
      expect(paperPriceVerdict('BTC/USDT', null, { maxAgeMs: 60_000, now: NOW, accountClock: 0 })).toEqual(noFreshPrice);
    });
  });
});
