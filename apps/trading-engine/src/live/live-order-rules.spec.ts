import { liveClientOrderId } from './live-client-order-id';
import { tradableQuantity } from './live-order-desk';

describe('liveClientOrderId', () => {
  it('is the signal id itself when the exchange accepts it (36 characters at most)', () => {
    expect(liveClientOrderId('n_q9BlhftPbJ1XXDD8cr5bzSV7M-1aXT', 0)).toBe('n_q9BlhftPbJ1XXDD8cr5bzSV7M-1aXT');
    expect(liveClientOrderId('n_q9BlhftPbJ1XXDD8cr5bzSV7M-1aXT', 1)).toBe('n_q9BlhftPbJ1XXDD8cr5bzSV7M-1aXT-2');
  });

  it('a longer signal id maps to the same 32-character id every time, different per order', () => {
    const long = 'a'.repeat(64);
    const first = liveClientOrderId(long, 0);
    expect(first).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(liveClientOrderId(long, 0)).toBe(first);
    expect(liveClientOrderId(long, 1)).not.toBe(first);
  });
});

describe('tradableQuantity', () => {
  const btc = { amountStep: '0.00001', minAmount: '0.00001' };

  it('rounds down to the lot step (the rest is dust the exchange keeps)', () => {
    expect(tradableQuantity('0.024975', btc)).toBe('0.02497');
  });

  it('null below the pair minimum', () => {
    expect(tradableQuantity('0.000005', btc)).toBeNull();
    expect(tradableQuantity('0.5', { amountStep: '0.1', minAmount: '1' })).toBeNull();
  });
});
