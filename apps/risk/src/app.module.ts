import { DynamicModule, Module, OnModuleInit } from '@nestjs/common';
import { MetricsRegistry, ServiceCoreModule } from '@trading/service-runtime';
import { OutboxRelay } from '@trading/streams';
import Decimal from 'decimal.js';
import { DataSource } from 'typeorm';
import { BotAccountRepository } from './accounts/bot-account.repository';
import { RiskBookHolder } from './book/risk-book.provider';
import { RiskEnv } from './config/risk.env';
import { riskDatabase } from './database/risk.database';
import { RiskLimitRepository } from './limits/risk-limit.repository';
import { RiskMonitor } from './monitor/risk-monitor.service';
import { RiskStreamsHandler } from './monitor/risk-streams.handler';
import { RiskEventRepository } from './risk-events/risk-event.repository';
import { RiskMetricsRepository } from './risk-metrics/risk-metrics.repository';
import { RiskRpcController } from './rpc/risk.rpc-controller';
import { RiskSettingsService } from './rpc/risk-settings.service';
import { TradingStateRepository } from './trading-state/trading-state.repository';

@Module({})
export class RiskAppModule implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsRegistry,
    private readonly holder: RiskBookHolder,
    private readonly relay: OutboxRelay,
  ) {}

  static forRoot(config: RiskEnv): DynamicModule {
    return {
      module: RiskAppModule,
      imports: [ServiceCoreModule.forRoot({ service: 'risk', config, database: riskDatabase, streams: true })],
      controllers: [RiskRpcController, RiskStreamsHandler],
      providers: [
        RiskLimitRepository,
        TradingStateRepository,
        RiskEventRepository,
        RiskMetricsRepository,
        BotAccountRepository,
        {
          provide: RiskBookHolder,
          inject: [RiskLimitRepository, TradingStateRepository, BotAccountRepository],
          useFactory: (limits: RiskLimitRepository, states: TradingStateRepository, accounts: BotAccountRepository) =>
            new RiskBookHolder(new Decimal(config.RISK_DEFAULT_STARTING_EQUITY), limits, states, accounts),
        },
        RiskMonitor,
        RiskSettingsService,
        {
          // One relay per instance; only the leader (advisory lock) publishes. Nest runs its bootstrap/shutdown hooks.
          provide: OutboxRelay,
          inject: [DataSource],
          useFactory: (dataSource: DataSource) =>
            new OutboxRelay({ dataSource, schema: 'risk', redisUrl: config.REDIS_URL, namespace: config.REDIS_NAMESPACE }),
        },
      ],
    };
  }

  onModuleInit(): void {
    this.metrics.register('risk', () => ({ preTradeCheck: this.holder.latency.snapshot(), outboxPublished: this.relay.publishedCount }));
  }
}

