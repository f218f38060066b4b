import { join } from 'node:path';
import { datasetPath, readCandleFile } from '@trading/datasets';
import { runBacktest } from '../engine/backtest.engine';
import { computeStatistics } from '../statistics/backtest-statistics';
import { createStrategy } from './__fixtures__/sma-cross-factory';
import { optimizeGrid, optimizeRandom, walkForward } from './optimizer';
import type { OptimizeOptions } from './optimizer.types';

const candles = readCandleFile(datasetPath('binance_BTCUSDT_1d_2020')).candles;
const base: OptimizeOptions = {
  strategy: 'test_sma_cross',
  space: { fast: { min: 5, max: 20, step: 5 }, slow: [10, 30] },
  metric: 'returnPct',
  config: { cash: 10_000, commission: '0.001' },
};

describe('optimizer (binance BTC/USDT daily 2020)', () => {
  it('ranks every valid combination by the metric and lists rejected ones', async () => {
    const progress: number[] = [];
    const result = await optimizeGrid(candles, { ...base, workers: 0, createStrategy, onProgress: (done) => progress.push(done) });
    expect(result.runs).toBe(8);
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    // fast 10/15/20 with slow 10 are invalid (fast must be below slow)
    expect(result.rejected.map((r) => r.params)).toEqual([
      { fast: 10, slow: 10 },
      { fast: 15, slow: 10 },
      { fast: 20, slow: 10 },
    ]);
    expect(result.ranked).toHaveLength(5);
    const metrics = result.ranked.map((r) => r.metric!);
    expect([...metrics].sort((a, b) => b - a)).toEqual(metrics);
    const best = result.ranked[0];
    const direct = computeStatistics(runBacktest(candles, createStrategy('test_sma_cross', best.params), base.config));
    expect(best.metric).toBe(direct.returnPct);
  });

  it('gives the same ranking on 2 worker threads as in this thread', async () => {
    const inThread = await optimizeGrid(candles, { ...base, workers: 0, createStrategy });
    const threaded = await optimizeGrid(candles, { ...base, workers: 2, strategyModule: join(__dirname, '__fixtures__', 'sma-cross-factory.ts') });
    expect(threaded.workers).toBe(2);
    expect(threaded.ranked).toEqual(inThread.ranked);
    expect(threaded.rejected.map((r) => r.error)).toEqual(inThread.rejected.map((r) => r.error));
  });

  it('samples a random subset deterministically', async () => {
    const space = { fast: { min: 2, max: 20, step: 1 }, slow: { min: 25, max: 60, step: 5 } };
    const a = await optimizeRandom(candles, { ...base, space, samples: 6, seed: 3, workers: 0, createStrategy });
    const b = await optimizeRandom(candles, { ...base, space, samples: 6, seed: 3, workers: 0, createStrategy });
    expect(a.runs).toBe(6);
    expect(a.ranked.map((r) => r.params)).toEqual(b.ranked.map((r) => r.params));
  });

  it('walks forward: optimizes in-sample, reports the chosen parameters out-of-sample next to it', async () => {
    const result = await walkForward(candles, { ...base, windows: 3, inSampleFraction: 0.75, workers: 0, createStrategy });
    expect(result.windows).toHaveLength(3);
    // 366 candles: windows of 122; in-sample 91 candles, out-of-sample 31 (the last window 31 too)
    expect(result.windows[0].inSample.start).toBe('2020-01-01T00:00:00.000Z');
    expect(result.windows[0].inSample.end).toBe('2020-03-31T00:00:00.000Z');
    expect(result.windows[0].outOfSample.start).toBe('2020-04-01T00:00:00.000Z');
    expect(result.windows[2].outOfSample.end).toBe('2020-12-31T00:00:00.000Z');
    for (const w of result.windows) {
      const isRun = computeStatistics(
        runBacktest(candles.filter((c) => c.time >= Date.parse(w.inSample.start) && c.time <= Date.parse(w.inSample.end)), createStrategy('test_sma_cross', w.inSample.params), base.config),
      );
      expect(w.inSample.metric).toBe(isRun.returnPct);
      expect(w.outOfSample.stats!.start).toBe(w.outOfSample.start);
    }
    expect(result.meanOutOfSample).not.toBeNull();
  });
});
