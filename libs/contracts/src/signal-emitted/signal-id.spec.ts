import { signalIdOf } from './signal-id';

describe('signalIdOf', () => {
  const bot = '0190b6a4-5f6e-7c3b-8a2d-1e2f3a4b5c6d';

  it('is the same for the same bot, candle and target, whatever the time notation', () => {
    expect(signalIdOf(bot, '2024-01-01T00:00:00Z', 'long')).toBe(signalIdOf(bot, '2024-01-01T00:00:00.000Z', 'long'));
  });

  it('differs by candle and by target, and fits a client order id', () => {
    const id = signalIdOf(bot, '2024-01-01T00:00:00Z', 'long');
    expect(id).not.toBe(signalIdOf(bot, '2024-01-01T00:01:00Z', 'long'));
    expect(id).not.toBe(signalIdOf(bot, '2024-01-01T00:00:00Z', 'flat'));
    expect(id).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });
});
