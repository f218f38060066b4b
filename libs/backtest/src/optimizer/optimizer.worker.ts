import 'reflect-metadata';
import { parentPort, workerData } from 'node:worker_threads';
import type { BacktestCandle } from '../engine/backtest.types';
import { unpackCandles } from './candle-columns';
import { evaluateParams, loadStrategyFactory } from './evaluate-params';
import type { OptimizerJob, OptimizerReply, OptimizerWorkerData } from './optimizer-worker.protocol';

const data = workerData as OptimizerWorkerData;
const candles = unpackCandles(data.candles);
const factory = loadStrategyFactory(data.strategyModule);
const slices = new Map<string, readonly BacktestCandle[]>();

function slice(from: number, to: number): readonly BacktestCandle[] {
  if (from === 0 && to === candles.length) return candles;
  const key = `${from}:${to}`;
  let s = slices.get(key);
  if (!s) slices.set(key, (s = candles.slice(from, to)));
  return s;
}

const port = parentPort;
if (!port) throw new Error('optimizer.worker must run in a worker thread');

port.on('message', (job: OptimizerJob) => {
  let reply: OptimizerReply;
  try {
    reply = { id: job.id, row: evaluateParams(slice(job.from, job.to), factory, data.strategy, job.params, job.config, data.metric) };
  } catch (error) {
    reply = { id: job.id, fatal: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  port.postMessage(reply);
});
