import { closedByClock } from './closed-by-clock';

describe('closedByClock', () => {
  const close = Date.UTC(2026, 0, 5, 10, 1); // the 10:00 1m candle closes at 10:01:00.000

  it('accepts a candle up to the tolerance before its close time by the local clock, not a millisecond more', () => {
    // The local clock 5 s behind the exchange: the exchange closed the candle, here it is 10:00:55.000.
    expect(closedByClock(close, close - 5000, 5000)).toBe(true);
    expect(closedByClock(close, close - 5001, 5000)).toBe(false);
  });

  it('without a tolerance, only once the local clock reached the close time', () => {
    expect(closedByClock(close, close, 0)).toBe(true);
    expect(closedByClock(close, close - 1, 0)).toBe(false);
  });

  it('always accepts a candle that closed in the past', () => {
    expect(closedByClock(close, close + 3_600_000, 0)).toBe(true);
  });
});
