import { Adx, adx } from './adx.indicator';
import { BollingerBands, bollinger } from './bollinger.indicator';
import { ema, Ema } from './ema.indicator';
import { Macd, macd } from './macd.indicator';
import { obv } from './obv.indicator';
import { RollingExtreme } from './rolling-extreme';
import { sma, Sma } from './sma.indicator';
import { Vwap, vwap } from './vwap.indicator';
import { wma } from './wma.indicator';

const list = (a: Float64Array) => Array.from(a, (x) => (Number.isNaN(x) ? null : Number(x.toFixed(10))));

describe('moving averages worked by hand', () => {
  const x = [1, 2, 3, 4, 5, 6];

  it('SMA 3: (1+2+3)/3, (2+3+4)/3, ...', () => {
    expect(list(sma(x, 3))).toEqual([null, null, 2, 3, 4, 5]);
  });

  it('EMA 3: seeded by SMA(1,2,3) = 2, then alpha 0.5', () => {
    // 2 -> 2 + 0.5*(4-2) = 3 -> 3 + 0.5*(5-3) = 4 -> 5
    expect(list(ema(x, 3))).toEqual([null, null, 2, 3, 4, 5]);
    expect(list(ema([10, 20, 30, 10, 40], 2))).toEqual([null, 15, 25, 15, 31.6666666667]);
    // alpha 2/3: 15 -> 15 + 2/3*15 = 25 -> 25 - 2/3*15 = 15 -> 15 + 2/3*25 = 31.667
  });

  it('WMA 3: (1*x[t-2] + 2*x[t-1] + 3*x[t]) / 6', () => {
    // (1*1 + 2*2 + 3*3) / 6 = 14/6 = 2.3333; (1*2 + 2*3 + 3*10) / 6 = 38/6 = 6.3333
    expect(list(wma([1, 2, 3, 10], 3))).toEqual([null, null, 2.3333333333, 6.3333333333]);
  });

  it('rejects a period of 0 or a fraction', () => {
    expect(() => new Sma(0)).toThrow('SMA period must be an integer >= 1, got 0');
    expect(() => new Ema(2.5)).toThrow('EMA period must be an integer >= 1, got 2.5');
  });
});

describe('Bollinger bands worked by hand (population standard deviation)', () => {
  it('window 2, 4, 4, 4, 5, 5, 7, 9: mean 5, population sd 2', () => {
    const values = [2, 4, 4, 4, 5, 5, 7, 9];
    const bands = bollinger(values, 8, 2);
    expect(bands.middle[7]).toBeCloseTo(5, 12);
    expect(bands.upper[7]).toBeCloseTo(9, 12);
    expect(bands.lower[7]).toBeCloseTo(1, 12);
    const stream = new BollingerBands(8, 2);
    values.forEach((v) => stream.update(v));
    expect([stream.lower, stream.middle, stream.upper].map((v) => Number(v.toFixed(10)))).toEqual([1, 5, 9]);
  });

  it('slides: window 4, 4, 5, 5, 7, 9, 9, 1 -> mean 5.5, variance 6.25, sd 2.5', () => {
    // sum 44 / 8 = 5.5; squares 16+16+25+25+49+81+81+1 = 294; 294/8 - 5.5^2 = 36.75 - 30.25 = 6.5
    const values = [2, 4, 4, 4, 5, 5, 7, 9, 9, 1];
    const bands = bollinger(values, 8, 1);
    expect(bands.middle[9]).toBeCloseTo(5.5, 12);
    expect(bands.upper[9] - bands.middle[9]).toBeCloseTo(Math.sqrt(6.5), 12);
  });
});

describe('MACD worked by hand on a short series (fast 2, slow 3, signal 2)', () => {
  it('EMA2 and EMA3 are SMA-seeded; the signal is seeded by the mean of the first 2 MACD values', () => {
    const closes = [1, 2, 3, 4, 8];
    // EMA2 (alpha 2/3): -, 1.5, 2.5, 3.5, 3.5+2/3*4.5 = 6.5
    // EMA3 (alpha 1/2): -, -, 2, 3, 5.5
    // MACD: -, -, 0.5, 0.5, 1.0; signal (EMA2 of MACD): -, -, -, 0.5, 0.5 + 2/3*0.5 = 0.8333
    const m = macd(closes, 2, 3, 2);
    expect(list(m.macd)).toEqual([null, null, 0.5, 0.5, 1]);
    expect(list(m.signal)).toEqual([null, null, null, 0.5, 0.8333333333]);
    expect(list(m.histogram)).toEqual([null, null, null, 0, 0.1666666667]);
    const stream = new Macd(2, 3, 2);
    const last = closes.map((c) => stream.update(c).histogram);
    expect(last[4]).toBeCloseTo(1 / 6, 12);
  });

  it('needs fast below slow', () => {
    expect(() => new Macd(26, 12, 9)).toThrow('MACD fast period 26 must be below slow period 12');
  });
});

describe('volume indicators worked by hand', () => {
  it('VWAP of typical price: (10*100 + 20*300) / 400 = 17.5', () => {
    // typical prices: (11+9+10)/3 = 10, (21+19+20)/3 = 20
    expect(list(vwap([11, 21], [9, 19], [10, 20], [100, 300]))).toEqual([10, 17.5]);
    expect(list(vwap([11, 21, 31], [9, 19, 29], [10, 20, 30], [100, 300, 100], 2))).toEqual([null, 17.5, 22.5]);
    const v = new Vwap();
    v.update(11, 9, 10, 0);
    expect(v.value).toBeNaN();
    v.update(11, 9, 10, 5);
    v.reset();
    expect(v.update(21, 19, 20, 1)).toBe(20);
  });

  it('OBV starts at the first volume, then adds up-bar volume and subtracts down-bar volume', () => {
    // 10; +20 (up) = 30; unchanged = 30; -5 (down) = 25
    expect(list(obv([1, 2, 2, 1.5], [10, 20, 30, 5]))).toEqual([10, 30, 30, 25]);
  });
});

describe('ADX worked by hand (period 2)', () => {
  //  bar  high low close | +DM -DM  TR | TR2            +DM2            -DM2        | +DI     -DI     DX
  //   0    10   8   9    |
  //   1    12   9  11    |  2   0    3 | (plain sums over bars 1-2)
  //   2    13  10  12    |  1   0    3 | 6              3               0           | 50      0       100
  //   3    12   8   9    |  0   2    4 | 6-3+4 = 7      3-1.5+0 = 1.5   0-0+2 = 2   | 21.4286 28.5714 14.2857
  //   4    11   7   8    |  0   1    4 | 7-3.5+4 = 7.5  1.5-0.75 = 0.75 2-1+1 = 2   | 10      26.6667 45.4545
  // (bar 2 TR: high 13 - previous close 11 = 2 < high - low 3; bar 3 TR: previous close 12 - low 8 = 4)
  // ADX at bar 3 = mean(DX bar 2, DX bar 3) = (100 + 14.2857)/2 = 57.1429;
  // bar 4 = (57.1429 * 1 + 45.4545) / 2 = 51.2987
  const high = [10, 12, 13, 12, 11];
  const low = [8, 9, 10, 8, 7];
  const close = [9, 11, 12, 9, 8];

  it('follows the worked table', () => {
    const series = adx(high, low, close, 2);
    expect(list(series.plusDi)).toEqual([null, null, 50, 21.4285714286, 10]);
    expect(list(series.minusDi)).toEqual([null, null, 0, 28.5714285714, 26.6666666667]);
    expect(list(series.adx)).toEqual([null, null, null, 57.1428571429, 51.2987012987]);
  });

  it('streams the same values', () => {
    const stream = new Adx(2);
    const values = close.map((c, i) => stream.update(high[i], low[i], c));
    expect(values.map((v) => (Number.isNaN(v) ? null : Number(v.toFixed(10))))).toEqual([
      null,
      null,
      null,
      57.1428571429,
      51.2987012987,
    ]);
  });
});

describe('RollingExtreme', () => {
  it('tracks the max and min of the last 3 values', () => {
    const max = new RollingExtreme(3, 'max');
    const min = new RollingExtreme(3, 'min');
    const xs = [5, 1, 4, 2, 8, 3, 3, 7, 0];
    expect(xs.map((x) => max.update(x))).toEqual([5, 5, 5, 4, 8, 8, 8, 7, 7]);
    expect(xs.map((x) => min.update(x))).toEqual([5, 1, 1, 1, 2, 2, 3, 3, 0]);
  });
});
