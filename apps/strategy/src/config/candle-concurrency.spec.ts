import { ConfigValidationError, loadConfig } from '@trading/service-runtime';
import { candleConcurrency, StrategyEnv } from './strategy.env';

const load = (env: Record<string, string>) => loadConfig('strategy', StrategyEnv, env);

describe('strategy environment: database pool and candle concurrency', () => {
  it('defaults to a pool of 20: 16 candles at once, the outbox relay and the rest', () => {
    const config = load({});
    expect(config).toMatchObject({ DATABASE_POOL_SIZE: 20, STREAMS_CONCURRENCY: 16 });
    expect(candleConcurrency(config)).toBe(16);
  });

  it('handles no more candles at once than the pool serves besides the relay and one more connection', () => {
    expect(candleConcurrency(load({ DATABASE_POOL_SIZE: '4' }))).toBe(2);
    expect(candleConcurrency(load({ DATABASE_POOL_SIZE: '3', STREAMS_CONCURRENCY: '1' }))).toBe(1);
    expect(candleConcurrency(load({ DATABASE_POOL_SIZE: '66', STREAMS_CONCURRENCY: '64' }))).toBe(64);
    expect(candleConcurrency(load({ DATABASE_POOL_SIZE: '200', STREAMS_CONCURRENCY: '8' }))).toBe(8);
  });

  it('refuses a pool too small for one candle besides the relay, or above 200, or not an integer, naming the variable', () => {
    for (const value of ['2', '201', '2.5', 'many']) {
      expect(() => load({ DATABASE_POOL_SIZE: value })).toThrow(ConfigValidationError);
      expect(() => load({ DATABASE_POOL_SIZE: value })).toThrow(/DATABASE_POOL_SIZE/);
    }
  });
});
