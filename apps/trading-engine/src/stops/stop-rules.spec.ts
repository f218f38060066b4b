import { checkStops, StopState } from './stop-rules';

const long: StopState = { side: 'long', stopLoss: '95', takeProfit: '120', trailingStopPct: null, highestPrice: '100', lowestPrice: '100' };
const at = (p: string) => ({ high: p, low: p, last: p });

describe('checkStops', () => {
  it('a long is stopped when the price reaches its stop loss, not above it', () => {
    expect(checkStops(long, at('95.01')).trigger).toBeNull();
    expect(checkStops(long, at('95'))).toMatchObject({ trigger: 'stop_loss', level: '95' });
  });

  it('take profit at or above the target', () => {
    expect(checkStops(long, at('120'))).toMatchObject({ trigger: 'take_profit' });
  });

  it('the stop loss wins when one candle crosses both', () => {
    expect(checkStops(long, { high: '121', low: '94', last: '100' }).trigger).toBe('stop_loss');
  });

  it('the trailing stop follows the high-water mark and triggers a set percentage below it', () => {
    const trailing: StopState = { ...long, stopLoss: null, takeProfit: null, trailingStopPct: '0.05' };
    const up = checkStops(trailing, at('110'));
    expect(up).toMatchObject({ highestPrice: '110', trigger: null });
    const next = { ...trailing, highestPrice: up.highestPrice };
    expect(checkStops(next, at('104.6')).trigger).toBeNull();
    expect(checkStops(next, at('104.5'))).toMatchObject({ trigger: 'trailing_stop', level: '104.5' });
  });

  it('a short trails the low-water mark and stops above', () => {
    const short: StopState = { side: 'short', stopLoss: '105', takeProfit: '80', trailingStopPct: '0.1', highestPrice: '100', lowestPrice: '100' };
    const down = checkStops(short, at('90'));
    expect(down).toMatchObject({ lowestPrice: '90', trigger: null });
    expect(checkStops({ ...short, lowestPrice: '90' }, at('99')).trigger).toBe('trailing_stop');
    expect(checkStops(short, at('105')).trigger).toBe('stop_loss');
  });
});
