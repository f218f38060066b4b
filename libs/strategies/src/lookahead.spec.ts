import { datasetPath, readCandleFile } from '@trading/datasets';
import { OrderedCandlesGuard } from './ordered-candles.guard';
import { Candle, Strategy, StrategySignal } from './strategy';
import { BUILTIN_STRATEGIES } from './builtins';
import { createStrategy } from './strategy-registry';

const { candles } = readCandleFile(datasetPath('BTCUSDT_1m_2021-01-03'));

/** Small periods so that each strategy trades many times over one day of minutes. */
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

function signals(name: string, series: readonly Candle[]): { i: number; signal: StrategySignal }[] {
  const strategy = createStrategy(name, ACTIVE_PARAMS[name]);
  const out: { i: number; signal: StrategySignal }[] = [];
  series.forEach((candle, i) => {
    const signal = strategy.onCandle({ ...candle });
    if (signal) out.push({ i, signal });
  });
  return out;
}

describe('no lookahead', () => {
  it('covers every built-in strategy', () => {
    expect(Object.keys(ACTIVE_PARAMS).sort()).toEqual(BUILTIN_STRATEGIES.map((d) => d.name).sort());
  });

  it.each(Object.keys(ACTIVE_PARAMS))('%s: signals up to t depend only on candles up to t', (name) => {
    const full = signals(name, candles);
    expect(full.length).toBeGreaterThan(2);
    for (const t of [100, 333, 700, 1111]) {
      // the future replaced by a wild, different path: past signals must not move
      const altered = candles.map((c, i) =>
        i <= t ? c : { ...c, open: c.open * 1.5, high: c.high * 1.6, low: c.low * 0.5, close: c.close * (i % 2 ? 1.55 : 0.55) },
      );
      const past = full.filter((s) => s.i <= t);
      expect(signals(name, candles.slice(0, t + 1))).toEqual(past);
      expect(signals(name, altered).filter((s) => s.i <= t)).toEqual(past);
    }
  });

  it.each(Object.keys(ACTIVE_PARAMS))('%s: signals only when the wanted position changes, never before warm-up', (name) => {
    const strategy = createStrategy(name, ACTIVE_PARAMS[name]);
    let position = 'flat';
    candles.forEach((candle, i) => {
      const signal = strategy.onCandle(candle);
      if (!signal) return;
      expect(i + 1).toBeGreaterThanOrEqual(strategy.warmup);
      expect(signal.target).not.toBe(position);
      expect(Object.keys(signal.indicators).length).toBeGreaterThan(0);
      position = signal.target;
    });
  });

  it('a strategy sees each closed candle once, in time order, as a frozen copy', () => {
    const seen: Candle[] = [];
    const probe: Strategy = {
      warmup: 1,
      onCandle: (candle) => {
        seen.push(candle);
        return null;
      },
    };
    const guarded = new OrderedCandlesGuard(probe);
    const input = candles.slice(0, 5).map((c) => ({ ...c }));
    input.forEach((c) => guarded.onCandle(c));
    expect(seen.map((c) => c.time)).toEqual(input.map((c) => c.time));
    expect(Object.isFrozen(seen[0])).toBe(true);
    input[0].close = -1;
    expect(seen[0].close).toBe(candles[0].close);
    expect(() => guarded.onCandle(input[4])).toThrow('is not after the previous one');
    expect(() => guarded.onCandle(input[2])).toThrow('is not after the previous one');
  });

  it('createStrategy hands out guarded strategies', () => {
    const strategy = createStrategy('sma_cross');
    strategy.onCandle(candles[1]);
    expect(() => strategy.onCandle(candles[0])).toThrow('is not after the previous one');
  });
});
