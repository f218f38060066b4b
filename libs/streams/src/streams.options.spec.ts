import { resolveServerOptions } from './streams.options';

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
