import { isOnTimeframeGrid, timeframeToMs } from './timeframe';
import { validateCandle } from './candle-validation';

describe('timeframeToMs', () => {
  it.each([
    ['1m', 60_000],
    ['5m', 300_000],
    ['15m', 900_000],
    ['1h', 3_600_000],
    ['4h', 14_400_000],
    ['1d', 86_400_000],
    ['1w', 604_800_000],
  ])('%s = %d ms', (tf, ms) => expect(timeframeToMs(tf)).toBe(ms));

  it.each(['', '1', 'm', '0m', '1M', '1y', '1.5h'])('rejects "%s"', (tf) => {
    expect(() => timeframeToMs(tf)).toThrow(`unsupported timeframe "${tf}"`);
  });

  it('puts weekly candles on Mondays', () => {
    expect(isOnTimeframeGrid(Date.UTC(2024, 0, 1), '1w')).toBe(true); // a Monday
    expect(isOnTimeframeGrid(Date.UTC(2024, 0, 4), '1w')).toBe(false); // a Thursday
    expect(isOnTimeframeGrid(Date.UTC(2024, 0, 1, 4), '4h')).toBe(true);
    expect(isOnTimeframeGrid(Date.UTC(2024, 0, 1, 5), '4h')).toBe(false);
  });
});

describe('validateCandle (shared with live feeds)', () => {
  const good = { time: Date.UTC(2024, 0, 1), open: 10, high: 12, low: 9, close: 11, volume: 1 };

  it('accepts a consistent candle after an earlier one', () => {
    expect(validateCandle(good, { previousTime: good.time - 60_000, timeframe: '1m' })).toBeNull();
  });

  it('accepts a flat candle where open = high = low = close', () => {
    expect(validateCandle({ ...good, open: 5, high: 5, low: 5, close: 5, volume: 0 })).toBeNull();
  });

  it('rejects NaN values fast', () => {
    expect(validateCandle({ ...good, close: Number.NaN })).toBe('invalid close NaN');
  });
});
