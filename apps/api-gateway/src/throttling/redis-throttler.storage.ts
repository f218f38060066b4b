import { ServiceUnavailableException } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { LuaCommand } from '@trading/streams';
import type Redis from 'ioredis';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

// Fixed window per key: INCR + PEXPIRE on the first hit; over the limit, a block key for
// blockDuration. One script, so concurrent gateways never race between read and write.
const INCREMENT = new LuaCommand<[number, number, number, number]>(
  'gatewayThrottleIncrement',
  `
local blockTtl = redis.call('PTTL', KEYS[2])
if blockTtl > 0 then
  local hits = tonumber(redis.call('GET', KEYS[1]) or '0')
  return {hits, redis.call('PTTL', KEYS[1]), 1, blockTtl}
end
local hits = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
if hits > tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  return {hits, ttl, 1, tonumber(ARGV[3])}
end
return {hits, ttl, 0, 0}
`,
  2,
);

/**
 * @nestjs/throttler storage in Redis, so a limit holds across every gateway instance.
 * Times are returned in seconds, as ThrottlerGuard expects (Retry-After).
 */
export class RedisThrottlerStorage implements ThrottlerStorage {
  constructor(
    private readonly redis: Redis,
    private readonly namespace: string,
  ) {}

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    const hitsKey = `${this.namespace}throttle:${throttlerName}:${key}`;
    let result: [number, number, number, number];
    try {
      result = await INCREMENT.run(this.redis, [hitsKey, `${hitsKey}:blocked`], [Math.max(1, Math.ceil(ttl)), limit, Math.max(1, Math.ceil(blockDuration))]);
    } catch {
      throw new ServiceUnavailableException('Rate limiter unavailable');
    }
    const [totalHits, hitsTtlMs, blocked, blockTtlMs] = result;
    return {
      totalHits,
      timeToExpire: Math.max(0, Math.ceil(hitsTtlMs / 1000)),
      isBlocked: blocked === 1,
      timeToBlockExpire: Math.max(0, Math.ceil(blockTtlMs / 1000)),
    };
  }
}
