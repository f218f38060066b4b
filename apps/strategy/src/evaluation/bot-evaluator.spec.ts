import { datasetPath, readCandleFile } from '@trading/datasets';
import { Candle, createStrategy, TargetPosition } from '@trading/strategies';
import { evaluateBot } from './bot-evaluator';
import { evaluationWindowLength, MAX_CATCH_UP_CANDLES } from './evaluation-window';
import { signalIdFor } from './signal-id';

const series: Candle[] = readCandleFile(datasetPath('BTCUSDT_1m_2021-01-03')).candles.map((c) => ({
  time: c.time,
  open: c.open,
  high: c.high,
  low: c.low,
  close: c.close,
  volume: c.volume,
}));

/** Small periods so each strategy trades many times in one day of minutes (as in libs/strategies). */
const ACTIVE_PARAMS: Record<string, Record<string, unknown>> = {
  sma_cross: { fast: 5, slow: 20, allowShort: true },
  ema_cross: { fast: 5, slow: 20, allowShort: true },
  ema_rsi: { ema_fast: 10, ema_slow: 30, rsi_period: 7, rsi_oversold: 35, rsi_overbought: 65 },
  rsi_reversion: { period: 7, allowShort: true },
  macd_cross: { fast: 6, slow: 13, signal: 5, allowShort: true },
  bollinger_reversion: { period: 20, multiplier: 1.5, allowShort: true },
  momentum_breakout: { lookback: 15, exit_lookback: 8 },
  short_seller: { trend: 30, breakdown: 10, exit_lookback: 5 },
};
const CACHE_SIZE = 1000;

/** What the backtester sees: one strategy fed the whole series. */
function wholeSeries(name: string): { time: number; target: TargetPosition }[] {
  const strategy = createStrategy(name, ACTIVE_PARAMS[name]);
  const out: { time: number; target: TargetPosition }[] = [];
  for (const candle of series) {
    const signal = strategy.onCandle(candle);
    if (signal) out.push({ time: candle.time, target: signal.target });
  }
  return out;
}

/** What the live path sees: per closed candle, the cached window up to it and the stored target. */
function live(name: string, step = 1): { time: number; target: TargetPosition }[] {
  const out: { time: number; target: TargetPosition }[] = [];
  let target: TargetPosition = 'flat';
  let lastCandleTime: number | null = null;
  const fetch = evaluationWindowLength(0, CACHE_SIZE) + 400 + MAX_CATCH_UP_CANDLES;
  for (let t = 0; t < series.length; t += step) {
    const window = series.slice(Math.max(0, t + 1 - fetch), t + 1);
    const result = evaluateBot(window, { strategy: name, params: ACTIVE_PARAMS[name], target, lastCandleTime }, CACHE_SIZE);
    for (const d of result.decisions) out.push({ time: d.candle.time, target: d.signal.target });
    target = result.target;
    lastCandleTime = series[t].time;
  }
  return out;
}

describe('evaluateBot (live decisions from a candle window)', () => {
  it.each(Object.keys(ACTIVE_PARAMS))('%s: deciding candle by candle from windows gives the backtester signals exactly', (name) => {
    const expected = wholeSeries(name);
    expect(expected.length).toBeGreaterThan(5);
    expect(live(name)).toEqual(expected);
  });

  it('catches up on missed candles in order (every third candle delivered) with the same signals', () => {
    expect(live('sma_cross', 3)).toEqual(wholeSeries('sma_cross'));
    expect(live('rsi_reversion', 7)).toEqual(wholeSeries('rsi_reversion'));
  });

  it('a state-style exit needs the stored target: a window that starts after the entry misses the exit unless told the bot is long', () => {
    // 20 closes falling by 1 then 20 rising by 1. rsi_reversion(7): RSI is 0 from candle 7 (long),
    // and Wilder's averages reach the same state in any window that starts inside the fall, so a
    // window starting at candle 10 computes the same RSI as the whole series from there on.
    const closes = [...Array.from({ length: 20 }, (_, i) => 100 - i), ...Array.from({ length: 20 }, (_, i) => 82 + i)];
    const made: Candle[] = closes.map((close, i) => ({ time: i * 60_000, open: close, high: close, low: close, close, volume: 1 }));
    const params = { period: 7, allowShort: false };
    const backtester = createStrategy('rsi_reversion', params);
    const full = made.flatMap((c) => {
      const signal = backtester.onCandle(c);
      return signal ? [{ time: c.time, target: signal.target }] : [];
    });
    expect(full.map((s) => s.target)).toEqual(['long', 'flat']);
    expect(full[0].time).toBe(7 * 60_000);
    const exitAt = full[1].time / 60_000;
    const window = made.slice(10, exitAt + 1);
    const input = { strategy: 'rsi_reversion', params, lastCandleTime: null };
    expect(evaluateBot(window, { ...input, target: 'long' }, CACHE_SIZE).decisions.map((d) => [d.candle.time, d.signal.target])).toEqual([[full[1].time, 'flat']]);
    expect(evaluateBot(window, { ...input, target: 'flat' }, CACHE_SIZE).decisions).toEqual([]);
  });

  it('decides only the newest candle when the bot is further behind than the window holds', () => {
    const window = series.slice(0, 300);
    const result = evaluateBot(window, { strategy: 'sma_cross', params: ACTIVE_PARAMS.sma_cross, target: 'flat', lastCandleTime: 12345 }, CACHE_SIZE);
    expect(result.decided).toBe(1);
  });
});

describe('evaluation window', () => {
  it('is max(3 x warm-up, 200), capped by the cache', () => {
    expect(evaluationWindowLength(21, 1000)).toBe(200);
    expect(evaluationWindowLength(101, 1000)).toBe(303);
    expect(evaluationWindowLength(400, 1000)).toBe(1000);
  });
});

describe('signalIdFor', () => {
  const bot = '0190b6a4-5f6e-7c3b-8a2d-1e2f3a4b5c6d';
  it('is a UUID v5 of bot, candle time and target: same inputs, same id; any change, another id', () => {
    const id = signalIdFor(bot, Date.UTC(2021, 0, 3), 'long');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(id).toHaveLength(36);
    expect(signalIdFor(bot, Date.UTC(2021, 0, 3), 'long')).toBe(id);
    expect(signalIdFor(bot, Date.UTC(2021, 0, 3, 0, 1), 'long')).not.toBe(id);
    expect(signalIdFor(bot, Date.UTC(2021, 0, 3), 'flat')).not.toBe(id);
  });
});
