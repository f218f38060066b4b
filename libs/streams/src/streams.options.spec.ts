import { MAX_STREAMS_DURATION_MS, resolveServerOptions } from './streams.options';

describe('resolveServerOptions: deadConsumerIdleMs', () => {
  const base = { redisUrl: 'redis://127.0.0.1:6379', service: 'risk', consumer: 'c1' };

  it('defaults to 1 h, or 10 x the slowest of claimIdleMs, claimIntervalMs and blockMs when that is more', () => {
    expect(resolveServerOptions(base).deadConsumerIdleMs).toBe(3_600_000);
    expect(resolveServerOptions({ ...base, claimIdleMs: 600_000 }).deadConsumerIdleMs).toBe(6_000_000);
    expect(resolveServerOptions({ ...base, claimIntervalMs: 400_000 }).deadConsumerIdleMs).toBe(4_000_000);
  });

  it('accepts a value at least twice each of them and refuses a smaller one', () => {
    expect(resolveServerOptions({ ...base, claimIdleMs: 200, claimIntervalMs: 100, blockMs: 100, deadConsumerIdleMs: 400 }).deadConsumerIdleMs).toBe(400);
    expect(() => resolveServerOptions({ ...base, claimIdleMs: 200, blockMs: 100, deadConsumerIdleMs: 399 })).toThrow(/deadConsumerIdleMs \(399\) must be at least twice/);
    expect(() => resolveServerOptions({ ...base, blockMs: 5000, claimIdleMs: 1000, deadConsumerIdleMs: 9000 })).toThrow(/deadConsumerIdleMs/);
    expect(() => resolveServerOptions({ ...base, deadConsumerIdleMs: 0 })).toThrow('deadConsumerIdleMs must be a positive integer');
  });
});

describe('resolveServerOptions: bounds and consistency', () => {
  const base = { redisUrl: 'redis://127.0.0.1:6379', service: 'risk', consumer: 'c1' };

  it('refuses a duration a Node timer cannot hold (above 2^31 - 1 ms), naming the option', () => {
    expect(resolveServerOptions({ ...base, claimIdleMs: MAX_STREAMS_DURATION_MS }).claimIdleMs).toBe(2_147_483_647);
    for (const name of ['claimIdleMs', 'claimIntervalMs', 'blockMs', 'retryBackoffMs', 'retryBackoffMaxMs', 'shutdownTimeoutMs'] as const) {
      expect(() => resolveServerOptions({ ...base, [name]: 2 ** 31 })).toThrow(`streams option ${name} must be at most 2147483647 ms`);
    }
  });

  it('refuses a backoff cap below the first retry delay, and raises the default cap to an explicit first delay above it', () => {
    expect(() => resolveServerOptions({ ...base, retryBackoffMs: 5000, retryBackoffMaxMs: 1000 })).toThrow(
      'streams option retryBackoffMaxMs (1000) must be at least retryBackoffMs (5000)',
    );
    expect(resolveServerOptions({ ...base, retryBackoffMs: 45_000 })).toMatchObject({ retryBackoffMs: 45_000, retryBackoffMaxMs: 45_000 });
    expect(resolveServerOptions(base)).toMatchObject({ retryBackoffMs: 200, retryBackoffMaxMs: 30_000 });
  });
});
