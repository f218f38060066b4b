import { datasetPath, readCandleFile } from '@trading/datasets';
import * as ind from '@trading/indicators';
import * as ti from 'technicalindicators';

/**
 * `tradectl bench indicators [--n 1000000]`: updates per second of each indicator three ways in
 * one run: our streaming class (one update per value), the technicalindicators package (its
 * batch `calculate`), and a hand-written Float64Array loop (our batch helpers). Input: closes
 * (and highs, lows, volumes) generated from real Coinbase BTC/USD hourly candles by
 * bootstrapping their returns, so volatility and ranges look like the market's.
 */
export async function run(args: string[]): Promise<void> {
  const n = numberArg(args, '--n', 1_000_000);
  const bars = bootstrapBars(n, 42);
  console.log(
    `input: ${n.toLocaleString('en-US')} bars bootstrapped (seed 42) from the real returns of ` +
      `coinbase_BTCUSD_1h_2017-07-01_2019-10-17 (${bars.sourceRows} candles): generated data, real return distribution`,
  );
  console.log('unit: updates (bars) per second, median of 3 runs (technicalindicators: 1 run); higher is better\n');
  const rows: string[][] = [];
  for (const c of cases(bars)) {
    const stream = median([0, 1, 2].map(() => rate(n, c.stream)));
    const loop = median([0, 1, 2].map(() => rate(n, c.loop)));
    const lib = rate(n, c.lib);
    rows.push([c.name, fmt(stream), fmt(loop), fmt(lib), ratio(stream, lib), ratio(stream, loop)]);
    printTable(rows, rows.length === 1);
  }
  console.log('\nstream/ti: our streaming class against technicalindicators; stream/loop: against a plain Float64Array loop.');
}

interface Bars {
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
  readonly sourceRows: number;
}

/** Each generated bar copies a random real bar's return, high/low distance from close, and volume. */
function bootstrapBars(n: number, seed: number): Bars {
  const { candles } = readCandleFile(datasetPath('coinbase_BTCUSD_1h_2017-07-01_2019-10-17'));
  const random = mulberry32(seed);
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  const close = new Float64Array(n);
  const volume = new Float64Array(n);
  let price = candles[0].close;
  for (let i = 0; i < n; i++) {
    const j = 1 + Math.floor(random() * (candles.length - 1));
    const bar = candles[j];
    price *= bar.close / candles[j - 1].close;
    close[i] = price;
    high[i] = price * (bar.high / bar.close);
    low[i] = price * (bar.low / bar.close);
    volume[i] = bar.volume;
  }
  return { high, low, close, volume, sourceRows: candles.length };
}

interface Case {
  readonly name: string;
  readonly stream: () => number;
  readonly loop: () => number;
  readonly lib: () => number;
}

function cases({ high, low, close, volume }: Bars): Case[] {
  const n = close.length;
  const closes = Array.from(close);
  const highs = Array.from(high);
  const lows = Array.from(low);
  const volumes = Array.from(volume);
  const last = (a: Float64Array) => a[a.length - 1];
  const lastOf = <T>(a: T[]) => a.length;
  const streamClose = (make: () => { update(x: number): number }) => () => {
    const indicator = make();
    let check = 0;
    for (let i = 0; i < n; i++) check += indicator.update(close[i]) || 0;
    return check;
  };
  return [
    { name: 'SMA 20', stream: streamClose(() => new ind.Sma(20)), loop: () => last(ind.sma(close, 20)), lib: () => lastOf(ti.SMA.calculate({ period: 20, values: closes })) },
    { name: 'EMA 20', stream: streamClose(() => new ind.Ema(20)), loop: () => last(ind.ema(close, 20)), lib: () => lastOf(ti.EMA.calculate({ period: 20, values: closes })) },
    { name: 'WMA 20', stream: streamClose(() => new ind.Wma(20)), loop: () => last(ind.wma(close, 20)), lib: () => lastOf(ti.WMA.calculate({ period: 20, values: closes })) },
    { name: 'RSI 14', stream: streamClose(() => new ind.Rsi(14)), loop: () => last(ind.rsi(close, 14)), lib: () => lastOf(ti.RSI.calculate({ period: 14, values: closes })) },
    {
      name: 'MACD 12/26/9',
      stream: () => {
        const m = new ind.Macd(12, 26, 9);
        let check = 0;
        for (let i = 0; i < n; i++) check += m.update(close[i]).histogram || 0;
        return check;
      },
      loop: () => last(ind.macd(close, 12, 26, 9).histogram),
      lib: () =>
        lastOf(ti.MACD.calculate({ values: closes, fastPeriod: 12, slowPeriod: 26, signalPeriod: 9, SimpleMAOscillator: false, SimpleMASignal: false })),
    },
    {
      name: 'Bollinger 20/2',
      stream: () => {
        const b = new ind.BollingerBands(20, 2);
        let check = 0;
        for (let i = 0; i < n; i++) check += b.update(close[i]).upper || 0;
        return check;
      },
      loop: () => last(ind.bollinger(close, 20, 2).upper),
      lib: () => lastOf(ti.BollingerBands.calculate({ period: 20, stdDev: 2, values: closes })),
    },
    {
      name: 'ATR 14',
      stream: () => {
        const a = new ind.Atr(14);
        let check = 0;
        for (let i = 0; i < n; i++) check += a.update(high[i], low[i], close[i]) || 0;
        return check;
      },
      loop: () => last(ind.atr(high, low, close, 14)),
      lib: () => lastOf(ti.ATR.calculate({ high: highs, low: lows, close: closes, period: 14 })),
    },
    {
      name: 'Stochastic 14/3/3',
      stream: () => {
        const s = new ind.Stochastic(14, 3, 3);
        let check = 0;
        for (let i = 0; i < n; i++) check += s.update(high[i], low[i], close[i]).d || 0;
        return check;
      },
      loop: () => last(ind.stochastic(high, low, close, 14, 3, 3).d),
      // technicalindicators has only the fast stochastic (%K 14, %D 3)
      lib: () => lastOf(ti.Stochastic.calculate({ high: highs, low: lows, close: closes, period: 14, signalPeriod: 3 })),
    },
    {
      name: 'VWAP',
      stream: () => {
        const v = new ind.Vwap();
        let check = 0;
        for (let i = 0; i < n; i++) check += v.update(high[i], low[i], close[i], volume[i]) || 0;
        return check;
      },
      loop: () => last(ind.vwap(high, low, close, volume)),
      lib: () => lastOf(ti.VWAP.calculate({ high: highs, low: lows, close: closes, volume: volumes })),
    },
    {
      name: 'OBV',
      stream: () => {
        const o = new ind.Obv();
        let check = 0;
        for (let i = 0; i < n; i++) check += o.update(close[i], volume[i]);
        return check;
      },
      loop: () => last(ind.obv(close, volume)),
      lib: () => lastOf(ti.OBV.calculate({ close: closes, volume: volumes })),
    },
    {
      name: 'ADX 14',
      stream: () => {
        const a = new ind.Adx(14);
        let check = 0;
        for (let i = 0; i < n; i++) check += a.update(high[i], low[i], close[i]) || 0;
        return check;
      },
      loop: () => last(ind.adx(high, low, close, 14).adx),
      lib: () => lastOf(ti.ADX.calculate({ high: highs, low: lows, close: closes, period: 14 })),
    },
  ];
}

let sink = 0;

function rate(n: number, work: () => number): number {
  const started = process.hrtime.bigint();
  sink += work();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return n / seconds;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function fmt(perSecond: number): string {
  return perSecond >= 1e6 ? `${(perSecond / 1e6).toFixed(1)} M/s` : `${(perSecond / 1e3).toFixed(0)} k/s`;
}

function ratio(a: number, b: number): string {
  return `${(a / b).toFixed(a / b >= 10 ? 0 : 2)}x`;
}

const HEADER = ['indicator', 'ours streaming', 'Float64Array loop', 'technicalindicators', 'stream/ti', 'stream/loop'];

function printTable(rows: string[][], withHeader: boolean): void {
  const widths = HEADER.map((h, i) => Math.max(h.length, 18, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  if (withHeader) console.log(line(HEADER));
  console.log(line(rows[rows.length - 1]));
  if (sink === 42.4242) console.log('');
}

function numberArg(args: string[], flag: string, fallback: number): number {
  const index = args.indexOf(flag);
  if (index < 0) return fallback;
  const value = Number(args[index + 1]);
  if (!Number.isInteger(value) || value < 1000) throw new Error(`${flag} must be an integer >= 1000`);
  return value;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
