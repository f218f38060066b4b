import { PositionIntent } from './position-intent';
import { Candle } from './strategy';
import { createStrategy } from './strategy-registry';

const falling = (n: number): Candle[] => Array.from({ length: n }, (_, i) => ({ time: i * 60_000, open: 100 - i, high: 100 - i, low: 100 - i, close: 100 - i, volume: 1 }));

describe('assumePosition', () => {
  it('PositionIntent.assume adopts a position without a signal; wishes are then measured against it', () => {
    const intent = new PositionIntent();
    intent.assume('long');
    expect(intent.position).toBe('long');
    expect(intent.want('long', 'same', {})).toBeNull();
    expect(intent.want('flat', 'exit', {})).toMatchObject({ target: 'flat' });
  });

  it('reaches a built-in through the ordering guard: told it is flat, rsi_reversion asks for the long again', () => {
    const candles = falling(12);
    const told = createStrategy('rsi_reversion', { period: 7 });
    const untold = createStrategy('rsi_reversion', { period: 7 });
    for (const c of candles.slice(0, 8)) {
      told.onCandle(c);
      untold.onCandle(c);
    }
    // both went long on candle 7 (RSI 0 < 30); the bot's stored target says flat (e.g. the order was refused)
    told.assumePosition?.('flat');
    expect(told.onCandle(candles[8])).toMatchObject({ target: 'long' });
    expect(untold.onCandle(candles[8])).toBeNull();
  });
});
