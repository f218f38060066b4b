import { createStrategy } from '../strategy-registry';
import { Candle } from '../strategy';

/*
 * sma_cross with fast 2, slow 3, worked by hand:
 *
 *  i   close  SMA2   SMA3   SMA2-SMA3
 *  0   10     -      -
 *  1   10     10     -
 *  2   10     10     10      0     averages equal
 *  3   13     11.5   11     +0.5   previous bar equal: a touch, not a cross
 *  4   13     13     12     +1
 *  5    7     10     11     -1     cross down (long-only: already flat, no signal; allowShort: short)
 *  6   10     8.5    10     -1.5
 *  7   13     11.5   10     +1.5   cross up -> long
 *  8    7     10     10      0     touch from above
 *  9    7     7      9      -2     previous bar equal: not a cross, stays long
 * 10   16     11.5   10     +1.5   cross up, already long: no signal
 * 11    4     10     9      +1
 * 12    4     4      8      -4     cross down -> flat (allowShort: short)
 */
const CLOSES = [10, 10, 10, 13, 13, 7, 10, 13, 7, 7, 16, 4, 4];
const MINUTE = 60_000;

function candles(closes: number[]): Candle[] {
  return closes.map((close, i) => ({ time: i * MINUTE, open: close, high: close, low: close, close, volume: 1 }));
}

function run(params: Record<string, unknown>) {
  const strategy = createStrategy('sma_cross', params);
  return candles(CLOSES).flatMap((candle, i) => {
    const signal = strategy.onCandle(candle);
    return signal ? [{ i, ...signal }] : [];
  });
}

describe('sma_cross worked by hand', () => {
  it('long-only: long on the cross up at 7, flat on the cross down at 12; touches are not crosses', () => {
    expect(run({ fast: 2, slow: 3 })).toEqual([
      {
        i: 7,
        target: 'long',
        reason: 'fast SMA(2) crossed above slow SMA(3)',
        indicators: { sma_fast: 11.5, sma_slow: 10 },
      },
      {
        i: 12,
        target: 'flat',
        reason: 'fast SMA(2) crossed below slow SMA(3)',
        indicators: { sma_fast: 4, sma_slow: 8 },
      },
    ]);
  });

  it('allowShort: short at 5, long at 7 (closing the short), short at 12', () => {
    expect(run({ fast: 2, slow: 3, allowShort: true }).map(({ i, target }) => [i, target])).toEqual([
      [5, 'short'],
      [7, 'long'],
      [12, 'short'],
    ]);
  });

  it('needs slow + 1 candles before its first possible signal', () => {
    expect(createStrategy('sma_cross', { fast: 2, slow: 3 }).warmup).toBe(4);
  });
});
