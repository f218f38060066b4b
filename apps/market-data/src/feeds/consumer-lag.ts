import type Redis from 'ioredis';

/**
 * Resolves once no consumer group of the stream lags more than `limit` entries (XINFO GROUPS, Redis 7's
 * `lag`), so a full-speed replay never runs further ahead of its slowest consumer than that. Events still waiting
 * in the producer's outbox (`queued`) count for every group: no consumer has them yet.
 */
export async function waitForConsumerLag(redis: Redis, streamKey: string, limit: number, signal?: AbortSignal, queued: () => Promise<number> = async () => 0): Promise<void> {
  if (!limit) return;
  while (!signal?.aborted) {
    const waiting = await queued();
    if (waiting > limit) {
      await new Promise((r) => setTimeout(r, 20));
      continue;
    }
    const groups = (await redis.xinfo('GROUPS', streamKey).catch(() => [])) as unknown[][];
    const lags = groups.map((g) => {
      const i = g.indexOf('lag');
      const pending = g.indexOf('pending');
      const lag = i >= 0 && typeof g[i + 1] === 'number' ? (g[i + 1] as number) : 0;
      return lag + (pending >= 0 && typeof g[pending + 1] === 'number' ? (g[pending + 1] as number) : 0);
    });
    if (Math.max(0, ...lags) + waiting <= limit) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}
