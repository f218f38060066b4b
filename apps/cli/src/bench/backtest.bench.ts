import { optimizeGrid, runBacktest, computeStatistics, seededRandom, type BacktestCandle } from '@trading/backtest';
import { datasetPath, getDataset, readCandleFile } from '@trading/datasets';
import { createStrategy } from '@trading/strategies';

const SOURCE = 'coinbase_BTCUSD_1h_2017-07-01_2019-10-17';
const HOUR = 3_600_000;

/**
 * `npm run bench -- backtest [--candles N] [--repeat R] [--opt-candles N]`
 *
 * 1. Single-core candles/s of `runBacktest` + sma_cross(10, 30) over N (default 1 000 000)
 *    candles, next to a bare loop computing the same SMA cross without engine or strategy
 *    objects (and to the strategy alone), with the ratios.
 * 2. Optimizer runs/s on 1 and on 2 worker threads (same grid, same data).
 *
 * The candles are GENERATED: real hourly Coinbase BTC/USD bars (shipped dataset) are
 * bootstrapped, i.e. resampled with replacement (seeded), each step taking one real bar's
 * return and its open/high/low/volume shape relative to the previous close (drift removed,
 * reflected when the price strays 10x from the start).
 */
export async function run(args: string[]): Promise<void> {
  const arg = (name: string, fallback: number) => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args[i + 1]) : fallback;
  };
  const n = arg('--candles', 1_000_000);
  const repeat = arg('--repeat', 5);
  const optCandles = arg('--opt-candles', 100_000);

  const candles = bootstrapCandles(n, 42);
  console.log(`data: ${n.toLocaleString('en')} hourly candles bootstrapped from real ${getDataset(SOURCE).description} (seed 42)`);

  const bare = median(repeat, () => bareSmaCross(candles, 10, 30));
  const strategyOnly = median(repeat, () => {
    const s = createStrategy('sma_cross', { fast: 10, slow: 30 });
    let signals = 0;
    for (let i = 0; i < candles.length; i++) if (s.onCandle(candles[i]) !== null) signals++;
    return signals;
  });
  let trades = 0;
  const engine = median(repeat, () => {
    const r = runBacktest(candles, createStrategy('sma_cross', { fast: 10, slow: 30 }), { commission: '0.001' });
    trades = r.trades.length;
    return trades;
  });
  const withStats = median(repeat, () => {
    const r = runBacktest(candles, createStrategy('sma_cross', { fast: 10, slow: 30 }), { commission: '0.001' });
    return computeStatistics(r).trades;
  });

  const rate = (ms: number) => `${((n / ms) * 1000 / 1e6).toFixed(2)} M candles/s`;
  console.log(`single core, median of ${repeat} runs, sma_cross fast=10 slow=30 (${trades} closed trades, ${bare.result} crosses in the bare loop):`);
  console.log(`  baseline: bare SMA-cross loop          ${bare.ms.toFixed(1).padStart(8)} ms  ${rate(bare.ms)}`);
  console.log(`  sma_cross strategy alone (no engine)   ${strategyOnly.ms.toFixed(1).padStart(8)} ms  ${rate(strategyOnly.ms)}`);
  console.log(`  runBacktest + sma_cross                ${engine.ms.toFixed(1).padStart(8)} ms  ${rate(engine.ms)}`);
  console.log(`  runBacktest + sma_cross + statistics   ${withStats.ms.toFixed(1).padStart(8)} ms  ${rate(withStats.ms)}`);
  console.log(`  ratio engine / bare loop: ${(engine.ms / bare.ms).toFixed(1)}x slower; engine / strategy alone: ${(engine.ms / strategyOnly.ms).toFixed(2)}x`);

  const optData = candles.slice(0, optCandles);
  const space = { fast: { min: 5, max: 40, step: 5 }, slow: { min: 50, max: 200, step: 50 } };
  console.log(`optimizer: grid of ${8 * 4} sma_cross runs over ${optCandles.toLocaleString('en')} candles, metric sharpe`);
  const perWorkers: Record<number, number> = {};
  let reference = '';
  for (const workers of [1, 2]) {
    const result = await optimizeGrid(optData, { strategy: 'sma_cross', space, metric: 'sharpe', workers, config: { commission: '0.001' } });
    const runsPerSecond = result.runs / (result.elapsedMs / 1000);
    perWorkers[workers] = runsPerSecond;
    const ranking = JSON.stringify(result.ranked.map((r) => [r.params, r.metric]));
    if (reference && ranking !== reference) throw new Error('optimizer results differ between 1 and 2 workers');
    reference = ranking;
    console.log(`  ${workers} worker(s): ${result.runs} runs in ${(result.elapsedMs / 1000).toFixed(2)} s = ${runsPerSecond.toFixed(1)} runs/s (worker start-up included)`);
  }
  console.log(`  speed-up 2 vs 1 workers: ${(perWorkers[2] / perWorkers[1]).toFixed(2)}x (identical rankings)`);
}

function median<T>(repeat: number, fn: () => T): { ms: number; result: T } {
  fn(); // warm-up (JIT)
  const times: number[] = [];
  let result!: T;
  for (let i = 0; i < repeat; i++) {
    const t = process.hrtime.bigint();
    result = fn();
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)], result };
}

/** Same decisions as sma_cross (strict crosses of running SMAs), on a Float64Array ring, no objects. */
function bareSmaCross(candles: readonly BacktestCandle[], fast: number, slow: number): number {
  const fastRing = new Float64Array(fast);
  const slowRing = new Float64Array(slow);
  let fastSum = 0;
  let slowSum = 0;
  let prevFast = NaN;
  let prevSlow = NaN;
  let crosses = 0;
  for (let i = 0; i < candles.length; i++) {
    const close = candles[i].close;
    fastSum += close - fastRing[i % fast];
    fastRing[i % fast] = close;
    slowSum += close - slowRing[i % slow];
    slowRing[i % slow] = close;
    const f = i >= fast - 1 ? fastSum / fast : NaN;
    const s = i >= slow - 1 ? slowSum / slow : NaN;
    if ((prevFast < prevSlow && f > s) || (prevFast > prevSlow && f < s)) crosses++;
    prevFast = f;
    prevSlow = s;
  }
  return crosses;
}

export function bootstrapCandles(n: number, seed: number): BacktestCandle[] {
  const real = readCandleFile(datasetPath(SOURCE)).candles;
  const random = seededRandom(seed);
  const drift = Math.log(real[real.length - 1].close / real[0].close) / (real.length - 1);
  const out: BacktestCandle[] = new Array(n);
  const start = real[0].close;
  let prevClose = start;
  const t0 = real[0].time;
  const round = (x: number) => Math.round(x * 100) / 100;
  for (let i = 0; i < n; i++) {
    const j = 1 + Math.floor(random() * (real.length - 1));
    const bar = real[j];
    // Ratios to the previous real close, with the drift removed so 1 M steps do not explode.
    const k = real[j - 1].close * Math.exp(drift);
    let o = bar.open / k;
    let h = bar.high / k;
    let l = bar.low / k;
    let c = bar.close / k;
    // Reflect at 10x away from the start: the mirrored bar (inverted ratios) is used instead.
    if (Math.abs(Math.log((prevClose * c) / start)) > Math.log(10)) [o, h, l, c] = [1 / o, 1 / l, 1 / h, 1 / c];
    const open = round(prevClose * o);
    const close = round(prevClose * c);
    const high = Math.max(open, close, round(prevClose * h));
    const low = Math.min(open, close, round(prevClose * l));
    out[i] = { time: t0 + i * HOUR, open, high, low, close, volume: bar.volume };
    prevClose = close;
  }
  return out;
}
