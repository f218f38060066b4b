import { DynamicModule, Module, OnModuleInit } from '@nestjs/common';
import { MetricsRegistry, ServiceCoreModule, instanceName, processedEventsPruning } from '@trading/service-runtime';
import { OutboxRelay, processedEventsPrunerProvider } from '@trading/streams';
import Decimal from 'decimal.js';
import { DataSource } from 'typeorm';
import { BotAccountRepository } from './accounts/bot-account.repository';
import { RiskBookLoader } from './book/risk-book.loader';
import { RiskBookHolder } from './book/risk-book.provider';
import { RiskEnv } from './config/risk.env';
import { riskDatabase } from './database/risk.database';
import { BookFeed } from './feed/book-feed';
import { RiskLimitRepository } from './limits/risk-limit.repository';
import { RiskMonitor } from './monitor/risk-monitor.service';
import { RiskStreamsHandler } from './monitor/risk-streams.handler';
import { RiskEventRepository } from './risk-events/risk-event.repository';
import { RiskMetricsRepository } from './risk-metrics/risk-metrics.repository';
import { RiskRpcController } from './rpc/risk.rpc-controller';
import { RiskSettingsService } from './rpc/risk-settings.service';
import { RiskSettingsSync } from './settings/risk-settings-sync';
import { TradingStateRepository } from './trading-state/trading-state.repository';

/** The consumer group of every risk instance (the service name). */
const GROUP = 'risk';

@Module({})
export class RiskAppModule implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsRegistry,
    private readonly holder: RiskBookHolder,
    private readonly feed: BookFeed,
    private readonly sync: RiskSettingsSync,
    private readonly relay: OutboxRelay,
  ) {}

  static forRoot(config: RiskEnv): DynamicModule {
    const instance = instanceName(config);
    return {
      module: RiskAppModule,
      imports: [ServiceCoreModule.forRoot({ service: GROUP, config, database: riskDatabase, streams: true })],
      controllers: [RiskRpcController, RiskStreamsHandler],
      providers: [
        RiskLimitRepository,
        TradingStateRepository,
        RiskEventRepository,
        RiskMetricsRepository,
        BotAccountRepository,
        { provide: RiskBookHolder, useFactory: () => new RiskBookHolder(new Decimal(config.RISK_DEFAULT_STARTING_EQUITY)) },
        {
          provide: BookFeed,
          inject: [RiskBookHolder],
          useFactory: (holder: RiskBookHolder) => new BookFeed(holder, { redisUrl: config.REDIS_URL, namespace: config.REDIS_NAMESPACE, group: GROUP, instance }),
        },
        {
          provide: RiskSettingsSync,
          inject: [RiskBookHolder, RiskLimitRepository, TradingStateRepository],
          useFactory: (holder: RiskBookHolder, limits: RiskLimitRepository, states: TradingStateRepository) =>
            new RiskSettingsSync(holder, limits, states, { redisUrl: config.REDIS_URL, namespace: config.REDIS_NAMESPACE, instance, resyncMs: config.RISK_SETTINGS_RESYNC_MS }),
        },
        RiskBookLoader,
        RiskMonitor,
        RiskSettingsService,
        {
          // One relay per instance; only the leader (advisory lock) publishes. Nest runs its bootstrap/shutdown hooks.
          provide: OutboxRelay,
          inject: [DataSource],
          useFactory: (dataSource: DataSource) =>
            new OutboxRelay({ dataSource, schema: 'risk', redisUrl: config.REDIS_URL, namespace: config.REDIS_NAMESPACE }),
        },
        processedEventsPrunerProvider({ schema: 'risk', ...processedEventsPruning(config) }),
      ],
    };
  }

  onModuleInit(): void {
    this.metrics.register('risk', () => ({
      preTradeCheck: this.holder.latency.snapshot(),
      outboxPublished: this.relay.publishedCount,
      book: { bots: this.holder.book.accountCount, ...this.sync.snapshot(), feed: this.feed.snapshot() },
    }));
  }
}
