import { availableParallelism } from 'node:os';
import type { BacktestCandle, BacktestConfig } from '../engine/backtest.types';
import { packCandles } from './candle-columns';
import { evaluateParams, loadStrategyFactory } from './evaluate-params';
import { OptimizerPool } from './optimizer-pool';
import { gridCombinations, randomCombinations } from './param-space';
import type {
  OptimizeOptions,
  OptimizeResult,
  OptimizeRow,
  RandomOptimizeOptions,
  StrategyParams,
  WalkForwardOptions,
  WalkForwardResult,
  WalkForwardWindow,
} from './optimizer.types';

interface Evaluator {
  run(params: StrategyParams, from: number, to: number, config: BacktestConfig): Promise<OptimizeRow>;
  readonly workers: number;
  close(): Promise<void>;
}

function createEvaluator(candles: readonly BacktestCandle[], options: OptimizeOptions): Evaluator {
  const workers = options.workers ?? availableParallelism();
  if (!Number.isInteger(workers) || workers < 0) throw new Error(`workers must be a non-negative integer, got ${workers}`);
  if (workers === 0) {
    const factory = options.createStrategy ?? loadStrategyFactory(options.strategyModule);
    return {
      workers: 0,
      run: async (params, from, to, config) => evaluateParams(candles.slice(from, to), factory, options.strategy, params, config, options.metric),
      close: async () => undefined,
    };
  }
  if (options.createStrategy) throw new Error('createStrategy (a function) only works in-thread (workers: 0); use strategyModule for workers');
  const pool = new OptimizerPool(workers, {
    candles: packCandles(candles),
    strategy: options.strategy,
    strategyModule: options.strategyModule,
    metric: options.metric,
  });
  return {
    workers,
    run: (params, from, to, config) => pool.run({ params, from, to, config }),
    close: () => pool.close(),
  };
}

async function evaluateAll(
  evaluator: Evaluator,
  combos: readonly StrategyParams[],
  from: number,
  to: number,
  config: BacktestConfig,
  progress: () => void,
): Promise<{ ranked: OptimizeRow[]; rejected: OptimizeRow[] }> {
  const rows = await Promise.all(
    combos.map((params) =>
      evaluator.run(params, from, to, config).then((row) => {
        progress();
        return row;
      }),
    ),
  );
  return rankRows(rows);
}

/** Valid rows best first (undefined metrics last, ties in grid order); rejected rows apart. */
export function rankRows(rows: readonly OptimizeRow[]): { ranked: OptimizeRow[]; rejected: OptimizeRow[] } {
  const rejected = rows.filter((r) => r.error !== undefined);
  const ranked = rows
    .map((row, order) => ({ row, order }))
    .filter(({ row }) => row.error === undefined)
    .sort((a, b) => (b.row.metric ?? -Infinity) - (a.row.metric ?? -Infinity) || a.order - b.order)
    .map(({ row }) => row);
  return { ranked, rejected };
}

async function optimizeCombos(candles: readonly BacktestCandle[], combos: StrategyParams[], options: OptimizeOptions): Promise<OptimizeResult> {
  if (candles.length === 0) throw new Error('optimize: no candles');
  const started = Date.now();
  const evaluator = createEvaluator(candles, options);
  let done = 0;
  try {
    const { ranked, rejected } = await evaluateAll(evaluator, combos, 0, candles.length, options.config ?? {}, () =>
      options.onProgress?.(++done, combos.length),
    );
    return { metric: options.metric, ranked, rejected, runs: combos.length, elapsedMs: Date.now() - started, workers: evaluator.workers };
  } finally {
    await evaluator.close();
  }
}

/** Every combination of the parameter space, ranked by the metric. */
export function optimizeGrid(candles: readonly BacktestCandle[], options: OptimizeOptions): Promise<OptimizeResult> {
  return optimizeCombos(candles, gridCombinations(options.space), options);
}

/** `samples` random combinations of the parameter space (seeded), ranked by the metric. */
export function optimizeRandom(candles: readonly BacktestCandle[], options: RandomOptimizeOptions): Promise<OptimizeResult> {
  return optimizeCombos(candles, randomCombinations(options.space, options.samples, options.seed), options);
}

/**
 * Walk-forward analysis: K consecutive windows; in each, the parameters are optimized on the
 * first `inSampleFraction` and then run, unchanged, on the rest (out-of-sample; the in-sample
 * candles only warm the strategy up). A large gap between in- and out-of-sample metrics means
 * the optimization fitted noise.
 */
export async function walkForward(candles: readonly BacktestCandle[], options: WalkForwardOptions): Promise<WalkForwardResult> {
  const k = options.windows;
  const fraction = options.inSampleFraction ?? 0.7;
  if (!Number.isInteger(k) || k < 1) throw new Error(`walk-forward windows must be a positive integer, got ${k}`);
  if (!(fraction > 0 && fraction < 1)) throw new Error(`inSampleFraction must be in (0, 1), got ${fraction}`);
  const size = Math.floor(candles.length / k);
  if (size < 4) throw new Error(`not enough candles (${candles.length}) for ${k} walk-forward windows`);
  const combos = options.samples ? randomCombinations(options.space, options.samples, options.seed) : gridCombinations(options.space);
  const config = options.config ?? {};
  const total = k * (combos.length + 1);
  let done = 0;
  const progress = () => options.onProgress?.(++done, total);
  const started = Date.now();
  const evaluator = createEvaluator(candles, options);
  const iso = (i: number) => new Date(candles[i].time).toISOString();
  try {
    const windows: WalkForwardWindow[] = [];
    for (let w = 0; w < k; w++) {
      const from = w * size;
      const to = w === k - 1 ? candles.length : from + size;
      const split = from + Math.max(2, Math.floor((to - from) * fraction));
      const { ranked } = await evaluateAll(evaluator, combos, from, split, config, progress);
      const best = ranked[0];
      if (!best) throw new Error('walk-forward: every parameter combination was rejected by the strategy');
      const oos = await evaluator.run(best.params, from, to, { ...config, warmupCandles: split - from });
      progress();
      windows.push({
        window: w + 1,
        inSample: { start: iso(from), end: iso(split - 1), params: best.params, metric: best.metric, stats: best.stats },
        outOfSample: { start: iso(split), end: iso(to - 1), metric: oos.metric, stats: oos.stats },
      });
    }
    const mean = (xs: (number | null)[]) => {
      const v = xs.filter((x): x is number => x !== null);
      return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
    };
    const compounded = windows.reduce((acc, w) => acc * (1 + (w.outOfSample.stats?.returnPct ?? 0) / 100), 1);
    return {
      metric: options.metric,
      windows,
      meanInSample: mean(windows.map((w) => w.inSample.metric)),
      meanOutOfSample: mean(windows.map((w) => w.outOfSample.metric)),
      outOfSampleReturnPct: (compounded - 1) * 100,
      elapsedMs: Date.now() - started,
    };
  } finally {
    await evaluator.close();
  }
}
