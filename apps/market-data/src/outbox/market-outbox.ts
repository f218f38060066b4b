import { Provider } from '@nestjs/common';
import { MetricsRegistry, SERVICE_CONFIG } from '@trading/service-runtime';
import { normalizeNamespace, OutboxRelay } from '@trading/streams';
import { DataSource } from 'typeorm';
import { MarketDataEnv } from '../config/market-data.env';

/** market-data's events wait in `market.outbox` until the relay has published them. */
export const MARKET_OUTBOX_SCHEMA = 'market';

/**
 * Published rows are kept 15 minutes (other services keep theirs 7 days): market data is the busiest outbox (a
 * ticker per market per second), and the rows only serve debugging: the stream holds the events.
 */
export const MARKET_OUTBOX_RETAIN_MS = 15 * 60_000;

/**
 * The relay publishing market.outbox to events:market_data and events:audit, started and stopped with the
 * application (the service and the one-shot tasks alike). One leader across all market-data processes.
 */
export const marketOutboxRelayProvider: Provider = {
  provide: OutboxRelay,
  inject: [DataSource, SERVICE_CONFIG, MetricsRegistry],
  useFactory: (dataSource: DataSource, config: MarketDataEnv, metrics: MetricsRegistry) => {
    const relay = new OutboxRelay({ dataSource, schema: MARKET_OUTBOX_SCHEMA, redisUrl: config.REDIS_URL, namespace: normalizeNamespace(config.REDIS_NAMESPACE), retainPublishedMs: MARKET_OUTBOX_RETAIN_MS });
    // GET /metrics: whether this instance publishes, what it published, what waits (any instance's).
    metrics.register('outbox', async () => ({ leader: relay.isLeader, published: relay.publishedCount, pending: await relay.pendingCount() }));
    return relay;
  },
};

/**
 * Resolves with 0 once every queued event is published, or with the number still waiting after `timeoutMs`
 * (Redis unreachable, or another process leads the relay and is slow): those are not lost, a running
 * market-data publishes them.
 */
export async function waitForOutboxDrained(relay: OutboxRelay, timeoutMs: number, pollMs = 50): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pending = await relay.pendingCount();
    if (pending === 0 || Date.now() >= deadline) return pending;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
