import type Redis from 'ioredis';

/**
 * Resolves once no consumer group of the stream lags more than `limit` entries (XINFO GROUPS, Redis 7's
 * `lag`), so a full-speed replay never runs further ahead of its slowest consumer than that.
 */
export async function waitForConsumerLag(redis: Redis, streamKey: string, limit: number, signal?: AbortSignal): Promise<void> {
  if (!limit) return;
  while (!signal?.aborted) {
    const groups = (await redis.xinfo('GROUPS', streamKey).catch(() => [])) as unknown[][];
    const lags = groups.map((g) => {
      const i = g.indexOf('lag');
      const pending = g.indexOf('pending');
      const lag = i >= 0 && typeof g[i + 1] === 'number' ? (g[i + 1] as number) : 0;
      return lag + (pending >= 0 && typeof g[pending + 1] === 'number' ? (g[pending + 1] as number) : 0);
    });
    if (!lags.length || Math.max(...lags) <= limit) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}
