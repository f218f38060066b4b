import { freshPrice, priceAgeMs } from './price-freshness';

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
});
