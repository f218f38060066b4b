import { liveClientOrderId } from './live-client-order-id';
import { tradableQuantity } from './live-order-desk';

describe('liveClientOrderId', () => {
  const signalId = 'n_q9BlhftPbJ1XXDD8cr5bzSV7M-1aXT'; // what signalIdOf makes: 32 characters of base64url
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

  it('is the signal id itself when the exchange accepts it (Binance: 36 characters at most)', () => {
    expect(liveClientOrderId('binance', signalId, 0)).toBe(signalId);
    expect(liveClientOrderId('binance', signalId, 1)).toBe(`${signalId}-2`);
    // Kraken takes free text up to 18 characters
    expect(liveClientOrderId('kraken', 'short-signal-id', 0)).toBe('short-signal-id');
  });

  it('Kraken (no free text beyond 18 characters): the same UUID every time, different per order', () => {
    const first = liveClientOrderId('kraken', signalId, 0);
    expect(first).toMatch(uuid);
    expect(liveClientOrderId('kraken', signalId, 0)).toBe(first);
    expect(liveClientOrderId('kraken', signalId, 1)).toMatch(uuid);
    expect(liveClientOrderId('kraken', signalId, 1)).not.toBe(first);
    expect(liveClientOrderId('kraken', 'another-signal-id-of-32-characte', 0)).not.toBe(first);
  });

  it('an id too long for Binance, or for an exchange not listed, is a UUID every listed exchange takes', () => {
    const long = 'a'.repeat(64);
    expect(liveClientOrderId('binance', long, 0)).toMatch(uuid);
    expect(liveClientOrderId('binance', long, 0)).toBe(liveClientOrderId('binance', long, 0));
    expect(liveClientOrderId('binance', long, 1)).not.toBe(liveClientOrderId('binance', long, 0));
    expect(liveClientOrderId('okx', signalId, 0)).toMatch(uuid);
    expect(liveClientOrderId('okx', 'plain-id', 0)).toBe('plain-id');
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
