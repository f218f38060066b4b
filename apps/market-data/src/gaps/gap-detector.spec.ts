import { GapDetector } from './gap-detector';

describe('GapDetector', () => {
  const MIN = 60_000;
  it('reports the missing candles between two arrivals and nothing for consecutive ones', () => {
    const gaps = new GapDetector();
    expect(gaps.observe('binance:BTC/USDT:1m', '1m', 0)).toBeNull();
    expect(gaps.observe('binance:BTC/USDT:1m', '1m', MIN)).toBeNull();
    expect(gaps.observe('binance:BTC/USDT:1m', '1m', 5 * MIN)).toEqual({ seriesKey: 'binance:BTC/USDT:1m', from: 2 * MIN, to: 5 * MIN, missing: 3 });
    expect(gaps.observe('binance:BTC/USDT:1m', '1m', 6 * MIN)).toBeNull();
  });

  it('ignores replays of older candles and keeps series apart', () => {
    const gaps = new GapDetector();
    gaps.seed('a', 10 * MIN);
    expect(gaps.observe('a', '1m', 3 * MIN)).toBeNull();
    expect(gaps.observe('b', '1m', 3 * MIN)).toBeNull();
    expect(gaps.observe('a', '1m', 12 * MIN)).toMatchObject({ from: 11 * MIN, missing: 1 });
  });
});
