import { registerBenchmark } from './bench.command';

// Each benchmark registers here with a lazy import, so one benchmark's dependencies
// (ccxt, a service) are only loaded when it runs.
registerBenchmark('backtest', () => import('./backtest.bench').then((m) => m.run));
registerBenchmark('indicators', () => import('./indicators.bench').then((m) => m.run));
registerBenchmark('streams', () => import('./streams.bench').then((m) => m.run));
registerBenchmark('gateway', () => import('./gateway.bench').then((m) => m.run));
registerBenchmark('pipeline', () => import('./pipeline.bench').then((m) => m.run));
