import { ConfigValidationError, loadConfig } from '@trading/service-runtime';
import { StrategyEnv } from './strategy.env';

const load = (env: Record<string, string>) => loadConfig('strategy', StrategyEnv, env);

describe('strategy environment: stream tuning', () => {
  it('takes a candle over after 30 s with 16 at once by default, and accepts the bounds', () => {
    expect(load({})).toMatchObject({ STREAMS_CLAIM_IDLE_MS: 30_000, STREAMS_CONCURRENCY: 16 });
    expect(load({ STREAMS_CLAIM_IDLE_MS: '100', STREAMS_CONCURRENCY: '1' })).toMatchObject({ STREAMS_CLAIM_IDLE_MS: 100, STREAMS_CONCURRENCY: 1 });
    expect(load({ STREAMS_CLAIM_IDLE_MS: '3600000', STREAMS_CONCURRENCY: '256' })).toMatchObject({ STREAMS_CLAIM_IDLE_MS: 3_600_000, STREAMS_CONCURRENCY: 256 });
  });

  it('refuses a claim idle time over 1 h and a concurrency over 256, naming each variable', () => {
    let error: unknown;
    try {
      load({ STREAMS_CLAIM_IDLE_MS: '3600001', STREAMS_CONCURRENCY: '257' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    for (const name of ['STREAMS_CLAIM_IDLE_MS', 'STREAMS_CONCURRENCY']) expect((error as Error).message).toContain(name);
  });
});
