import { datasetPath, readCandleFile } from '@trading/datasets';
import fc from 'fast-check';
import { Adx, adx } from './adx.indicator';
import { Atr, atr } from './atr.indicator';
import { BollingerBands, bollinger } from './bollinger.indicator';
import { Ema, ema } from './ema.indicator';
import { Macd, macd } from './macd.indicator';
import { Obv, obv } from './obv.indicator';
import { Rsi, rsi } from './rsi.indicator';
import { Sma, sma } from './sma.indicator';
import { Stochastic, stochastic } from './stochastic.indicator';
import { Vwap, vwap } from './vwap.indicator';
import { Wma, wma } from './wma.indicator';

interface Bars {
  high: number[];
  low: number[];
  close: number[];
  volume: number[];
}

/** Equal within 1e-9 relative (sliding sums are updated in a different order), NaN where NaN. */
function expectSame(streamed: number[], batch: Float64Array, label: string): void {
  expect(streamed).toHaveLength(batch.length);
  for (let i = 0; i < batch.length; i++) {
    const a = streamed[i];
    const b = batch[i];
    if (Number.isNaN(b) || Number.isNaN(a)) {
      if (Number.isNaN(a) !== Number.isNaN(b)) throw new Error(`${label}[${i}]: stream ${a}, batch ${b}`);
      continue;
    }
    if (Math.abs(a - b) > 1e-9 * Math.max(1, Math.abs(b))) throw new Error(`${label}[${i}]: stream ${a}, batch ${b}`);
  }
}

function checkAll(bars: Bars): void {
  const { high, low, close, volume } = bars;
  const n = close.length;
  const run = (update: (i: number) => number) => Array.from({ length: n }, (_, i) => update(i));

  const s = new Sma(20);
  expectSame(run((i) => s.update(close[i])), sma(close, 20), 'sma');
  const e = new Ema(20);
  expectSame(run((i) => e.update(close[i])), ema(close, 20), 'ema');
  const w = new Wma(20);
  expectSame(run((i) => w.update(close[i])), wma(close, 20), 'wma');
  const r = new Rsi(14);
  expectSame(run((i) => r.update(close[i])), rsi(close, 14), 'rsi');

  const m = new Macd(12, 26, 9);
  const mStream = run((i) => m.update(close[i]).histogram);
  expectSame(mStream, macd(close).histogram, 'macd.histogram');
  const m2 = new Macd(12, 26, 9);
  expectSame(run((i) => m2.update(close[i]).macd), macd(close).macd, 'macd.macd');

  const bb = new BollingerBands(20, 2);
  const bbBatch = bollinger(close, 20, 2);
  const upper: number[] = [];
  const lower: number[] = [];
  for (const c of close) {
    bb.update(c);
    upper.push(bb.upper);
    lower.push(bb.lower);
  }
  expectSame(upper, bbBatch.upper, 'bb.upper');
  expectSame(lower, bbBatch.lower, 'bb.lower');

  const a = new Atr(14);
  expectSame(run((i) => a.update(high[i], low[i], close[i])), atr(high, low, close, 14), 'atr');

  const st = new Stochastic(14, 3, 3);
  const stBatch = stochastic(high, low, close, 14, 3, 3);
  const ks: number[] = [];
  const ds: number[] = [];
  for (let i = 0; i < n; i++) {
    st.update(high[i], low[i], close[i]);
    ks.push(st.k);
    ds.push(st.d);
  }
  expectSame(ks, stBatch.k, 'stoch.k');
  expectSame(ds, stBatch.d, 'stoch.d');

  const v = new Vwap();
  expectSame(run((i) => v.update(high[i], low[i], close[i], volume[i])), vwap(high, low, close, volume), 'vwap');
  const vr = new Vwap(10);
  expectSame(run((i) => vr.update(high[i], low[i], close[i], volume[i])), vwap(high, low, close, volume, 10), 'vwap:10');
  const o = new Obv();
  expectSame(run((i) => o.update(close[i], volume[i])), obv(close, volume), 'obv');
  const x = new Adx(14);
  expectSame(run((i) => x.update(high[i], low[i], close[i])), adx(high, low, close, 14).adx, 'adx');
}

describe('streaming indicators equal the batch helpers', () => {
  it('on a day of real BTC/USDT minutes', () => {
    const { candles } = readCandleFile(datasetPath('BTCUSDT_1m_2021-01-03'));
    checkAll({
      high: candles.map((c) => c.high),
      low: candles.map((c) => c.low),
      close: candles.map((c) => c.close),
      volume: candles.map((c) => c.volume),
    });
  });

  it('on random bars, including flat stretches and zero volume', () => {
    const bar = fc
      .record({ mid: fc.integer({ min: 1, max: 50 }), spread: fc.integer({ min: 0, max: 5 }), volume: fc.integer({ min: 0, max: 9 }) })
      .map(({ mid, spread, volume }) => ({ high: mid + spread, low: mid, close: mid + spread / 2, volume }));
    fc.assert(
      fc.property(fc.array(bar, { minLength: 0, maxLength: 80 }), (bars) => {
        checkAll({
          high: bars.map((b) => b.high),
          low: bars.map((b) => b.low),
          close: bars.map((b) => b.close),
          volume: bars.map((b) => b.volume),
        });
      }),
      { numRuns: 200 },
    );
  });
});
