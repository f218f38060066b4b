import { Atr, atr, trueRange } from './atr.indicator';
import { rsi, Rsi } from './rsi.indicator';
import { stochastic } from './stochastic.indicator';

/*
 * Published worksheets, typed in. Their printed values were computed from rounded
 * intermediate columns, so they differ from exact arithmetic in the second decimal; each test
 * pins the first value worked by hand exactly and the whole series to the sheet within a
 * stated tolerance.
 */

// Wilder's RSI example as reproduced in StockCharts' RSI worksheet (14 periods).
const RSI_CLOSES = [
  44.34, 44.09, 44.15, 43.61, 44.33, 44.83, 45.1, 45.42, 45.84, 46.08, 45.89, 46.03, 45.61, 46.28, 46.28, 46.0, 46.03,
  46.41, 46.22, 45.64, 46.21, 46.25, 45.71, 46.45, 45.78, 45.35, 44.03, 44.18, 44.22, 44.57, 43.42, 42.66, 43.13,
];
const RSI_PUBLISHED = [
  70.53, 66.32, 66.55, 69.41, 66.36, 57.97, 62.93, 63.26, 56.06, 62.38, 54.71, 50.42, 39.99, 41.46, 41.87, 45.46, 37.3,
  33.08, 37.77,
];

describe('RSI on the StockCharts / Wilder worksheet', () => {
  it('first value at index 14 = 100 * sum(gains) / (sum(gains) + sum(losses)) of the first 14 changes', () => {
    // changes 1..14: -0.25 +0.06 -0.54 +0.72 +0.50 +0.27 +0.32 +0.42 +0.24 -0.19 +0.14 -0.42 +0.67 0.00
    // gains 3.34, losses 1.40 -> 100 * 3.34 / 4.74 = 70.4641
    const values = rsi(RSI_CLOSES, 14);
    expect(Array.from(values.subarray(0, 14)).every(Number.isNaN)).toBe(true);
    expect(values[14]).toBeCloseTo((100 * 3.34) / 4.74, 9);
  });

  it('second value applies Wilder smoothing: avg = (avg * 13 + current) / 14', () => {
    // change at 15 is -0.28: gain (3.34/14*13 + 0)/14, loss (1.40/14*13 + 0.28)/14
    const gain = ((3.34 / 14) * 13) / 14;
    const loss = ((1.4 / 14) * 13 + 0.28) / 14;
    expect(rsi(RSI_CLOSES, 14)[15]).toBeCloseTo((100 * gain) / (gain + loss), 9);
  });

  it('matches every published value within 0.08 (the sheet rounds its averages)', () => {
    const values = rsi(RSI_CLOSES, 14);
    RSI_PUBLISHED.forEach((published, i) => expect(Math.abs(values[14 + i] - published)).toBeLessThan(0.08));
  });

  it('streams the same values', () => {
    const stream = new Rsi(14);
    const batch = rsi(RSI_CLOSES, 14);
    RSI_CLOSES.forEach((close, i) => expect(stream.update(close)).toEqual(batch[i]));
  });
});

// StockCharts ATR worksheet (14 periods).
const ATR_HIGH = [
  48.7, 48.72, 48.9, 48.87, 48.82, 49.05, 49.2, 49.35, 49.92, 50.19, 50.12, 49.66, 49.88, 50.19, 50.36, 50.57, 50.65,
  50.43, 49.63, 50.33, 50.29, 50.17, 49.32, 48.5, 48.32, 46.8, 47.8, 48.39, 48.66, 48.79,
];
const ATR_LOW = [
  47.79, 48.14, 48.39, 48.37, 48.24, 48.64, 48.94, 48.86, 49.5, 49.87, 49.2, 48.9, 49.43, 49.73, 49.26, 50.09, 50.3,
  49.21, 48.98, 49.61, 49.2, 49.43, 48.08, 47.64, 41.55, 44.28, 47.31, 47.2, 47.9, 47.73,
];
const ATR_CLOSE = [
  48.16, 48.61, 48.75, 48.63, 48.74, 49.03, 49.07, 49.32, 49.91, 50.13, 49.53, 49.5, 49.75, 50.03, 50.31, 50.52, 50.41,
  49.34, 49.37, 50.23, 49.24, 49.93, 48.43, 48.18, 46.57, 45.41, 47.77, 47.72, 48.62, 47.85,
];
// The sheet's TR column from the second row on, and its ATR column from row 14 (index 13).
const ATR_PUBLISHED_TR = [
  0.58, 0.51, 0.5, 0.58, 0.41, 0.26, 0.49, 0.6, 0.32, 0.93, 0.76, 0.45, 0.46, 1.1, 0.48, 0.35, 1.22, 0.65, 0.96, 1.09,
  0.93, 1.85, 0.86, 6.77, 2.52, 2.39, 1.19, 0.94, 1.06,
];
const ATR_PUBLISHED = [
  0.56, 0.59, 0.59, 0.57, 0.62, 0.62, 0.64, 0.67, 0.69, 0.78, 0.78, 1.21, 1.3, 1.38, 1.37, 1.34, 1.32,
];

describe('ATR on the StockCharts worksheet', () => {
  it('true range uses the previous close (gap rows 24 and 25)', () => {
    ATR_PUBLISHED_TR.forEach((tr, i) =>
      expect(trueRange(ATR_HIGH[i + 1], ATR_LOW[i + 1], ATR_CLOSE[i])).toBeCloseTo(tr, 2),
    );
    // row 24: high 48.32, low 41.55, previous close 48.18 -> high - low = 6.77
    // row 25: high 46.80, low 44.28, previous close 46.57 -> high - low = 2.52
    // row 26: high 47.80, low 47.31, previous close 45.41 -> high - previous close = 2.39
    expect(trueRange(47.8, 47.31, 45.41)).toBeCloseTo(2.39, 12);
  });

  it('first ATR at index 14 is the mean of true ranges 1..14 (TA-Lib), then Wilder smoothing', () => {
    // 0.58+0.51+0.50+0.58+0.41+0.26+0.49+0.60+0.32+0.93+0.76+0.45+0.46+1.10 = 7.95
    const values = atr(ATR_HIGH, ATR_LOW, ATR_CLOSE, 14);
    expect(Array.from(values.subarray(0, 14)).every(Number.isNaN)).toBe(true);
    expect(values[14]).toBeCloseTo(7.95 / 14, 9);
    expect(values[15]).toBeCloseTo(((7.95 / 14) * 13 + 0.48) / 14, 9);
  });

  it('converges onto the sheet, which seeds one bar earlier with the first bar high - low', () => {
    const values = atr(ATR_HIGH, ATR_LOW, ATR_CLOSE, 14);
    for (let i = 14; i < 30; i++) {
      const diff = Math.abs(values[i] - ATR_PUBLISHED[i - 13]);
      expect(diff).toBeLessThan(i < 24 ? 0.03 : 0.015);
    }
  });

  it('streams the same values', () => {
    const stream = new Atr(14);
    const batch = atr(ATR_HIGH, ATR_LOW, ATR_CLOSE, 14);
    ATR_CLOSE.forEach((close, i) => expect(stream.update(ATR_HIGH[i], ATR_LOW[i], close)).toEqual(batch[i]));
  });
});

// StockCharts stochastic worksheet (%K 14, %D 3, fast stochastic). Closes before row 14 are
// not printed on the sheet and do not enter any printed value.
const ST_HIGH = [
  127.01, 127.62, 126.59, 127.35, 128.17, 128.43, 127.37, 126.42, 126.9, 126.85, 125.65, 125.72, 127.16, 127.72, 127.49,
  128.22, 128.27, 128.09, 128.27, 127.74, 128.77, 129.29, 130.06, 129.12, 129.29, 128.47, 128.09, 128.65, 129.14,
  128.64,
];
const ST_LOW = [
  125.36, 126.16, 124.93, 126.09, 126.82, 126.48, 126.03, 124.83, 126.39, 125.72, 124.56, 124.57, 125.07, 126.86,
  126.63, 126.8, 126.71, 126.8, 126.13, 125.92, 126.99, 127.81, 128.47, 128.06, 127.61, 127.6, 127.0, 126.9, 127.49,
  127.4,
];
const ST_CLOSE_FROM_13 = [
  127.29, 127.18, 128.01, 127.11, 127.73, 127.06, 127.33, 128.71, 127.87, 128.58, 128.6, 127.93, 128.11, 127.6, 127.6,
  128.69, 128.27,
];
const ST_PUBLISHED_K = [
  70.44, 67.61, 89.2, 65.81, 81.75, 64.52, 74.53, 98.58, 70.1, 73.06, 73.42, 61.23, 60.96, 40.39, 40.39, 66.83, 56.73,
];

describe('stochastic on the StockCharts worksheet', () => {
  const close = [...new Array<number>(13).fill(126), ...ST_CLOSE_FROM_13];

  it('first %K at index 13: highest high 128.43, lowest low 124.56 over 14 bars', () => {
    // 100 * (127.29 - 124.56) / (128.43 - 124.56) = 100 * 2.73 / 3.87 = 70.5426
    expect(stochastic(ST_HIGH, ST_LOW, close, 14, 1, 3).k[13]).toBeCloseTo((100 * 2.73) / 3.87, 9);
  });

  it('fast %K matches the sheet within 0.2 and %D is the 3-bar mean of %K', () => {
    const { k, d } = stochastic(ST_HIGH, ST_LOW, close, 14, 1, 3);
    ST_PUBLISHED_K.forEach((published, i) => expect(Math.abs(k[13 + i] - published)).toBeLessThan(0.2));
    expect(Number.isNaN(d[14])).toBe(true);
    for (let i = 15; i < 30; i++) expect(d[i]).toBeCloseTo((k[i] + k[i - 1] + k[i - 2]) / 3, 9);
  });

  it('slow %K 3 is the 3-bar mean of fast %K and its %D the 3-bar mean of slow %K', () => {
    const fast = stochastic(ST_HIGH, ST_LOW, close, 14, 1, 1).k;
    const { k, d } = stochastic(ST_HIGH, ST_LOW, close, 14, 3, 3);
    expect(Number.isNaN(k[14])).toBe(true);
    expect(k[15]).toBeCloseTo((fast[13] + fast[14] + fast[15]) / 3, 9);
    expect(Number.isNaN(d[16])).toBe(true);
    expect(d[17]).toBeCloseTo((k[15] + k[16] + k[17]) / 3, 9);
  });
});
