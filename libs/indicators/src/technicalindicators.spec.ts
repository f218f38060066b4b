import { datasetPath, readCandleFile } from '@trading/datasets';
import * as ti from 'technicalindicators';
import { adx } from './adx.indicator';
import { atr } from './atr.indicator';
import { bollinger } from './bollinger.indicator';
import { ema } from './ema.indicator';
import { macd } from './macd.indicator';
import { obv } from './obv.indicator';
import { rsi } from './rsi.indicator';
import { sma } from './sma.indicator';
import { stochastic } from './stochastic.indicator';
import { vwap } from './vwap.indicator';
import { wma } from './wma.indicator';

/*
 * Cross-check against the technicalindicators package where its conventions match ours.
 * It returns only the defined values, so its output is aligned on the last bar; its RSI is
 * rounded to 2 decimals and its OBV starts at 0 on the second bar instead of the first volume.
 */
const { candles } = readCandleFile(datasetPath('binance_BTCUSDT_1d_2020'));
const high = candles.map((c) => c.high);
const low = candles.map((c) => c.low);
const close = candles.map((c) => c.close);
const volume = candles.map((c) => c.volume);

function expectAligned(ours: Float64Array, theirs: (number | undefined)[], tolerance: number, firstIndex: number): void {
  const offset = ours.length - theirs.length;
  expect(offset).toBe(firstIndex);
  for (let i = 0; i < firstIndex; i++) expect(ours[i]).toBeNaN();
  theirs.forEach((value, i) => {
    if (value === undefined) expect(ours[i + offset]).toBeNaN();
    else expect(Math.abs(ours[i + offset] - value)).toBeLessThanOrEqual(tolerance);
  });
}

describe('agreement with technicalindicators on Binance BTC/USDT daily 2020', () => {
  it('SMA, EMA, WMA 20', () => {
    expectAligned(sma(close, 20), ti.SMA.calculate({ period: 20, values: close }), 1e-8, 19);
    expectAligned(ema(close, 20), ti.EMA.calculate({ period: 20, values: close }), 1e-8, 19);
    expectAligned(wma(close, 20), ti.WMA.calculate({ period: 20, values: close }), 1e-8, 19);
  });

  it('RSI 14 (theirs rounded to 2 decimals)', () => {
    expectAligned(rsi(close, 14), ti.RSI.calculate({ period: 14, values: close }), 0.005 + 1e-9, 14);
  });

  it('MACD 12/26/9 with EMA oscillator and EMA signal', () => {
    const theirs = ti.MACD.calculate({
      values: close,
      fastPeriod: 12,
      slowPeriod: 26,
      signalPeriod: 9,
      SimpleMAOscillator: false,
      SimpleMASignal: false,
    });
    const ours = macd(close, 12, 26, 9);
    expectAligned(ours.macd, theirs.map((m) => m.MACD), 1e-8, 25);
    expectAligned(ours.signal, theirs.map((m) => m.signal), 1e-8, 25);
    expectAligned(ours.histogram, theirs.map((m) => m.histogram), 1e-8, 25);
  });

  it('Bollinger 20, 2 (population standard deviation in both)', () => {
    const theirs = ti.BollingerBands.calculate({ period: 20, stdDev: 2, values: close });
    const ours = bollinger(close, 20, 2);
    expectAligned(ours.upper, theirs.map((b) => b.upper), 1e-7, 19);
    expectAligned(ours.lower, theirs.map((b) => b.lower), 1e-7, 19);
  });

  it('ATR 14 and ADX 14 (both Wilder)', () => {
    expectAligned(atr(high, low, close, 14), ti.ATR.calculate({ high, low, close, period: 14 }), 1e-8, 14);
    const theirs = ti.ADX.calculate({ high, low, close, period: 14 });
    const ours = adx(high, low, close, 14);
    expectAligned(ours.adx, theirs.map((a) => a.adx), 1e-8, 27);
    // theirs reports +DI/-DI only from the first ADX bar on
    expect(Number.isNaN(ours.plusDi[13]) && !Number.isNaN(ours.plusDi[14])).toBe(true);
    expectAligned(ours.plusDi.subarray(27), theirs.map((a) => a.pdi), 1e-8, 0);
    expectAligned(ours.minusDi.subarray(27), theirs.map((a) => a.mdi), 1e-8, 0);
  });

  it('fast stochastic 14 with %D 3', () => {
    const theirs = ti.Stochastic.calculate({ high, low, close, period: 14, signalPeriod: 3 });
    const ours = stochastic(high, low, close, 14, 1, 3);
    expectAligned(ours.k, theirs.map((s) => s.k), 1e-8, 13);
    expectAligned(ours.d, theirs.map((s) => s.d), 1e-8, 13);
  });

  it('cumulative VWAP; OBV up to its different starting point', () => {
    expectAligned(vwap(high, low, close, volume), ti.VWAP.calculate({ high, low, close, volume }), 1e-6, 0);
    const theirs = ti.OBV.calculate({ close, volume });
    const ours = obv(close, volume);
    const shifted = Float64Array.from(ours.subarray(1), (v) => v - volume[0]);
    expectAligned(shifted, theirs, 1e-6, 0);
  });
});
