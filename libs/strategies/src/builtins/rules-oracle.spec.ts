import { datasetPath, readCandleFile } from '@trading/datasets';
import { bollinger, ema, macd, rsi } from '@trading/indicators';
import { createStrategy } from '../strategy-registry';
import { TargetPosition } from '../strategy';

/*
 * Each documented rule written a second time, over the batch indicator arrays, and compared
 * with what the streaming strategy signals on real data (Coinbase BTC/USD hourly, 20k bars).
 */
const { candles } = readCandleFile(datasetPath('coinbase_BTCUSD_1h_2017-07-01_2019-10-17'));
const close = candles.map((c) => c.close);

type Rule = (i: number, position: TargetPosition) => TargetPosition;

function oracle(rule: Rule): [number, TargetPosition][] {
  const out: [number, TargetPosition][] = [];
  let position: TargetPosition = 'flat';
  for (let i = 1; i < close.length; i++) {
    const wanted = rule(i, position);
    if (wanted !== position) out.push([i, (position = wanted)]);
  }
  return out;
}

function actual(name: string, params: Record<string, unknown>): [number, TargetPosition][] {
  const strategy = createStrategy(name, params);
  return candles.flatMap((c, i) => {
    const s = strategy.onCandle(c);
    return s ? [[i, s.target] as [number, TargetPosition]] : [];
  });
}

function expectSameSignals(name: string, params: Record<string, unknown>, rule: Rule): void {
  const expected = oracle(rule);
  expect(expected.length).toBeGreaterThan(10);
  expect(actual(name, params)).toEqual(expected);
}

describe('built-in rules against an independent rewrite', () => {
  it('ema_cross with allowShort', () => {
    const f = ema(close, 9);
    const s = ema(close, 21);
    expectSameSignals('ema_cross', { fast: 9, slow: 21, allowShort: true }, (i, p) =>
      f[i - 1] < s[i - 1] && f[i] > s[i] ? 'long' : f[i - 1] > s[i - 1] && f[i] < s[i] ? 'short' : p,
    );
  });

  it('ema_rsi (the seed bot)', () => {
    const f = ema(close, 12);
    const s = ema(close, 26);
    const r = rsi(close, 14);
    expectSameSignals('ema_rsi', { rsi_oversold: 40, rsi_overbought: 65 }, (i, p) => {
      if (p === 'flat') return f[i] > s[i] && r[i - 1] < 40 && r[i] >= 40 ? 'long' : 'flat';
      return r[i] > 65 || f[i] < s[i] ? 'flat' : 'long';
    });
  });

  it('rsi_reversion with allowShort', () => {
    const r = rsi(close, 14);
    expectSameSignals('rsi_reversion', { allowShort: true }, (i, p) => {
      if (p === 'flat') return r[i] < 30 ? 'long' : r[i] > 70 ? 'short' : 'flat';
      if (p === 'long') return r[i] >= 50 ? 'flat' : 'long';
      return r[i] <= 50 ? 'flat' : 'short';
    });
  });

  it('macd_cross', () => {
    const m = macd(close, 12, 26, 9);
    expectSameSignals('macd_cross', {}, (i, p) =>
      m.macd[i - 1] < m.signal[i - 1] && m.macd[i] > m.signal[i]
        ? 'long'
        : m.macd[i - 1] > m.signal[i - 1] && m.macd[i] < m.signal[i]
          ? 'flat'
          : p,
    );
  });

  it('bollinger_reversion with allowShort', () => {
    const b = bollinger(close, 20, 2);
    expectSameSignals('bollinger_reversion', { allowShort: true }, (i, p) => {
      if (p === 'flat') return close[i] < b.lower[i] ? 'long' : close[i] > b.upper[i] ? 'short' : 'flat';
      if (p === 'long') return close[i] >= b.middle[i] ? 'flat' : 'long';
      return close[i] <= b.middle[i] ? 'flat' : 'short';
    });
  });
});

describe('channel strategies worked by hand (bars with high = low = close)', () => {
  const bars = (closes: number[]) => closes.map((c, i) => ({ time: i * 60_000, open: c, high: c, low: c, close: c, volume: 1 }));
  const run = (name: string, params: Record<string, unknown>, closes: number[]) => {
    const strategy = createStrategy(name, params);
    return bars(closes).flatMap((c, i) => {
      const s = strategy.onCandle(c);
      return s ? [[i, s.target, s.indicators]] : [];
    });
  };

  it('momentum_breakout lookback 3, exit 2', () => {
    //  i      0   1   2   3   4   5   6   7     8
    //  close 10  11  12  11  13  12  12  11.5  14
    //  i=3: high of bars 0-2 is 12, 11 is no breakout; i=4: high of 1-3 is 12, 13 breaks out -> long
    //  i=5: low of 3-4 is 11; i=6: low of 4-5 is 12; i=7: low of 5-6 is 12 and 11.5 < 12 -> flat
    //  i=8: high of 5-7 is 12, 14 breaks out -> long
    expect(run('momentum_breakout', { lookback: 3, exit_lookback: 2 }, [10, 11, 12, 11, 13, 12, 12, 11.5, 14])).toEqual([
      [4, 'long', { channel_high: 12, channel_low: 11 }],
      [7, 'flat', { channel_high: 13, channel_low: 12 }],
      [8, 'long', { channel_high: 12, channel_low: 11.5 }],
    ]);
  });

  it('short_seller trend 3, breakdown 2, exit 2', () => {
    //  i      0   1   2   3     4     5      6       7
    //  close 10  10  10   9     8     8.5    9.5     7
    //  EMA3   -   -  10   9.5   8.75  8.625  9.0625  8.03125   (SMA seed, alpha 0.5)
    //  i=2: 10 is not below EMA 10; i=3: 9 < 9.5 and 9 < low of 1-2 (10) -> short
    //  i=4: 8 < 8.75, and not above high of 2-3 (10); i=5: 8.5 < 8.625, not above high of 3-4 (9)
    //  i=6: 9.5 > 9.0625 -> flat; i=7: 7 < 8.03125 and 7 < low of 5-6 (8.5) -> short
    expect(run('short_seller', { trend: 3, breakdown: 2, exit_lookback: 2 }, [10, 10, 10, 9, 8, 8.5, 9.5, 7])).toEqual([
      [3, 'short', { ema_trend: 9.5, channel_low: 10, channel_high: 10 }],
      [6, 'flat', { ema_trend: 9.0625, channel_low: 8, channel_high: 8.5 }],
      [7, 'short', { ema_trend: 8.03125, channel_low: 8.5, channel_high: 9.5 }],
    ]);
  });
});
