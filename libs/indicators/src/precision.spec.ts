import { BollingerBands, bollinger } from './bollinger.indicator';
import { Sma, sma } from './sma.indicator';
import { Vwap } from './vwap.indicator';
import { Wma, wma } from './wma.indicator';

/** 200k prices falling smoothly from 30 000 to 3, wiggling: a 10 000x move. */
const N = 200_000;
const prices = Float64Array.from({ length: N }, (_, i) => 30_000 * Math.pow(1e-4, i / (N - 1)) * (1 + 0.01 * Math.sin(i)));

function exactWindow(i: number, period: number) {
  let sum = 0;
  let weighted = 0;
  for (let j = 0; j < period; j++) {
    sum += prices[i - period + 1 + j];
    weighted += (j + 1) * prices[i - period + 1 + j];
  }
  const mean = sum / period;
  let m2 = 0;
  for (let j = i - period + 1; j <= i; j++) m2 += (prices[j] - mean) ** 2;
  return { mean, wma: weighted / ((period * (period + 1)) / 2), sd: Math.sqrt(m2 / period) };
}

const relative = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('sliding windows keep their precision after a 10 000x price move', () => {
  it('SMA, WMA, Bollinger (stream and batch) stay within 1e-9 of a fresh computation', () => {
    const s = new Sma(20);
    const w = new Wma(20);
    const b = new BollingerBands(20, 1);
    for (const p of prices) {
      s.update(p);
      w.update(p);
      b.update(p);
    }
    const exact = exactWindow(N - 1, 20);
    expect(relative(s.value, exact.mean)).toBeLessThan(1e-9);
    expect(relative(w.value, exact.wma)).toBeLessThan(1e-9);
    expect(relative(b.upper - b.middle, exact.sd)).toBeLessThan(1e-9);
    expect(relative(sma(prices, 20)[N - 1], exact.mean)).toBeLessThan(1e-9);
    expect(relative(wma(prices, 20)[N - 1], exact.wma)).toBeLessThan(1e-9);
    const bands = bollinger(prices, 20, 1);
    expect(relative(bands.upper[N - 1] - bands.middle[N - 1], exact.sd)).toBeLessThan(1e-9);
  });

  it('rolling VWAP with equal volumes equals the mean typical price', () => {
    const v = new Vwap(20);
    for (const p of prices) v.update(p, p, p, 1);
    expect(relative(v.value, exactWindow(N - 1, 20).mean)).toBeLessThan(1e-9);
  });
});
