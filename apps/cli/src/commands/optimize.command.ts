import { Command, Option } from 'commander';
import { Presets, SingleBar } from 'cli-progress';
import {
  OPTIMIZE_METRICS,
  optimizeGrid,
  optimizeRandom,
  parseParamSpec,
  walkForward,
  type OptimizeMetric,
  type OptimizeResult,
  type ParamSpace,
  type WalkForwardResult,
} from '@trading/backtest';
import { addEngineOptions, collect, engineConfig, parseParamPairs, type EngineCliOptions } from './backtest.command';
import { addCandleSourceOptions, loadCandleSource, type CandleSourceOptions } from './candle-source';

interface OptimizeCliOptions extends EngineCliOptions, CandleSourceOptions {
  strategy: string;
  param: string[];
  metric: OptimizeMetric;
  random?: number;
  seed: number;
  walkForward?: number;
  inSample: number;
  workers?: number;
  top: number;
  json?: boolean;
}

const int = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${value}"`);
  return n;
};

export function registerOptimizeCommand(program: Command): void {
  const command = program
    .command('optimize')
    .description('search strategy parameters on all cores, ranked by a metric; optionally walk-forward')
    .requiredOption('--strategy <name>', 'strategy name (e.g. sma_cross)')
    .option('--param <key=spec>', 'parameter values: min:max:step, a,b,c or one value (repeatable)', collect, [])
    .addOption(new Option('--metric <name>', 'ranking metric (higher is better)').choices([...OPTIMIZE_METRICS]).default('sharpe'))
    .option('--random <n>', 'random search: n sampled combinations instead of the full grid', int('--random'))
    .option('--seed <n>', 'seed of the random search', int('--seed'), 1)
    .option('--walk-forward <k>', 'walk-forward analysis over k windows', int('--walk-forward'))
    .option('--in-sample <fraction>', 'in-sample share of each walk-forward window', Number, 0.7)
    .option('--workers <n>', 'worker threads (default: all cores; 0 = this thread)', int('--workers'))
    .option('--top <n>', 'rows to print', int('--top'), 10)
    .option('--json', 'print the result as one JSON document on stdout, nothing else');
  addEngineOptions(addCandleSourceOptions(command)).action((options: OptimizeCliOptions) => runOptimizeCommand(options));
}

async function runOptimizeCommand(o: OptimizeCliOptions): Promise<void> {
  const { candles, source } = await loadCandleSource(o);
  const space: Record<string, ReturnType<typeof parseParamSpec>> = {};
  for (const [key, spec] of Object.entries(parseParamPairs(o.param))) space[key] = parseParamSpec(spec);
  const bar = new SingleBar({ stream: process.stderr, format: 'optimize [{bar}] {value}/{total} runs | {eta_formatted} left', hideCursor: true }, Presets.shades_classic);
  let started = false;
  const onProgress = (done: number, total: number) => {
    if (!started) {
      bar.start(total, 0);
      started = true;
    }
    bar.update(done);
  };
  const common = {
    strategy: o.strategy,
    space: space as ParamSpace,
    metric: o.metric,
    config: engineConfig(o),
    workers: o.workers,
    onProgress,
  };
  try {
    if (o.walkForward !== undefined) {
      const result = await walkForward(candles, { ...common, windows: o.walkForward, inSampleFraction: o.inSample, samples: o.random, seed: o.seed });
      bar.stop();
      if (o.json) process.stdout.write(JSON.stringify({ strategy: o.strategy, data: source, walkForward: result }) + '\n');
      else printWalkForward(result);
      return;
    }
    const result = o.random ? await optimizeRandom(candles, { ...common, samples: o.random, seed: o.seed }) : await optimizeGrid(candles, common);
    bar.stop();
    if (o.json) process.stdout.write(JSON.stringify({ strategy: o.strategy, data: source, candles: candles.length, ...result }) + '\n');
    else printRanking(result, o.top, candles.length);
  } finally {
    bar.stop();
  }
}

const f = (v: number | null | undefined, digits = 2) => (v === null || v === undefined ? '-' : v.toFixed(digits));

function printRanking(result: OptimizeResult, top: number, candles: number): void {
  const perSecond = result.runs / (result.elapsedMs / 1000);
  console.log(`${result.runs} runs over ${candles} candles in ${(result.elapsedMs / 1000).toFixed(2)} s on ${result.workers || 1} thread(s) (${perSecond.toFixed(1)} runs/s)`);
  if (result.rejected.length > 0) console.log(`${result.rejected.length} combinations rejected by the strategy, e.g. ${result.rejected[0].error}`);
  console.log(['rank', result.metric, 'return%', 'maxDD%', 'sharpe', 'trades', 'params'].join('\t'));
  result.ranked.slice(0, top).forEach((row, i) => {
    const s = row.stats;
    console.log([i + 1, f(row.metric, 3), f(s?.returnPct), f(s?.maxDrawdownPct), f(s?.sharpe), s?.trades ?? '-', JSON.stringify(row.params)].join('\t'));
  });
}

function printWalkForward(result: WalkForwardResult): void {
  console.log(`walk-forward, ${result.windows.length} windows, metric ${result.metric} (in-sample vs out-of-sample):`);
  console.log(['window', 'in-sample', 'params', `IS ${result.metric}`, `OOS ${result.metric}`, 'OOS return%', 'out-of-sample'].join('\t'));
  for (const w of result.windows) {
    console.log(
      [
        w.window,
        `${w.inSample.start.slice(0, 10)}..${w.inSample.end.slice(0, 10)}`,
        JSON.stringify(w.inSample.params),
        f(w.inSample.metric, 3),
        f(w.outOfSample.metric, 3),
        f(w.outOfSample.stats?.returnPct),
        `${w.outOfSample.start.slice(0, 10)}..${w.outOfSample.end.slice(0, 10)}`,
      ].join('\t'),
    );
  }
  console.log(`mean ${result.metric}: in-sample ${f(result.meanInSample, 3)}, out-of-sample ${f(result.meanOutOfSample, 3)}; compounded out-of-sample return ${f(result.outOfSampleReturnPct)} %`);
}
