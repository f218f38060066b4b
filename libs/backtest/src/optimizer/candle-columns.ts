import type { BacktestCandle } from '../engine/backtest.types';

const FIELDS = 6;

/** Candles packed column-wise in one SharedArrayBuffer, so every worker reads the same memory. */
export function packCandles(candles: readonly BacktestCandle[]): SharedArrayBuffer {
  const n = candles.length;
  const buffer = new SharedArrayBuffer(n * FIELDS * 8);
  const a = new Float64Array(buffer);
  for (let i = 0; i < n; i++) {
    const c = candles[i];
    a[i] = c.time;
    a[n + i] = c.open;
    a[2 * n + i] = c.high;
    a[3 * n + i] = c.low;
    a[4 * n + i] = c.close;
    a[5 * n + i] = c.volume;
  }
  return buffer;
}

export function unpackCandles(buffer: SharedArrayBuffer): BacktestCandle[] {
  const a = new Float64Array(buffer);
  const n = a.length / FIELDS;
  const out: BacktestCandle[] = new Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = { time: a[i], open: a[n + i], high: a[2 * n + i], low: a[3 * n + i], close: a[4 * n + i], volume: a[5 * n + i] };
  }
  return out;
}
