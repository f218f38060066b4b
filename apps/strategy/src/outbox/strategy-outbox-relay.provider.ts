import { Provider } from '@nestjs/common';
import { SERVICE_CONFIG } from '@trading/service-runtime';
import { OutboxRelay } from '@trading/streams';
import { DataSource } from 'typeorm';
import { StrategyEnv } from '../config/strategy.env';

/** One relay per instance; only the leader (advisory lock) publishes strategy.outbox in commit order. */
export const strategyOutboxRelayProvider: Provider = {
  provide: OutboxRelay,
  inject: [DataSource, SERVICE_CONFIG],
  useFactory: (dataSource: DataSource, config: StrategyEnv) =>
    new OutboxRelay({ dataSource, schema: 'strategy', redisUrl: config.REDIS_URL, namespace: config.REDIS_NAMESPACE, pollIntervalMs: 500 }),
};
