import { DynamicModule, Module, OnModuleInit } from '@nestjs/common';
import { InfluxMetricsWriter } from '@trading/observability';
import { instanceName, MetricsRegistry, processedEventsPruning, ServiceCoreModule } from '@trading/service-runtime';
import { processedEventsPrunerProvider, StreamsMetrics } from '@trading/streams';
import Decimal from 'decimal.js';
import { AuditLogRepository } from './audit/audit-log.repository';
import { SystemEventRepository } from './audit/system-event.repository';
import { AnalyticsEnv } from './config/analytics.env';
import { analyticsDatabase } from './database/analytics.database';
import { DailyPerformanceRepository } from './performance/daily-performance.repository';
import { EquityPointRepository } from './performance/equity-point.repository';
import { PerformanceMetricsRepository } from './performance/performance-metrics.repository';
import { PortfolioSnapshotRepository } from './portfolio/portfolio-snapshot.repository';
import { ANALYTICS_SETTINGS, AnalyticsProjector } from './projection/analytics-projector.service';
import { AnalyticsStreamsHandler } from './projection/analytics-streams.handler';
import { MetricsSink } from './projection/metrics-sink';
import { PerformanceUpdater } from './projection/performance-updater';
import { ViewRefresher } from './projection/view-refresher';
import { BotFactRepository } from './read-model/bot-fact.repository';
import { DashboardViewsRepository } from './read-model/dashboard-views.repository';
import { PositionFactRepository } from './read-model/position-fact.repository';
import { RiskEventFactRepository } from './read-model/risk-event-fact.repository';
import { TradeFactRepository } from './read-model/trade-fact.repository';
import { AnalyticsQueries } from './rpc/analytics-queries.service';
import { AnalyticsRpcController } from './rpc/analytics.rpc-controller';

@Module({})
export class AnalyticsAppModule implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsRegistry,
    private readonly sink: MetricsSink,
    private readonly views: ViewRefresher,
  ) {}

  static forRoot(config: AnalyticsEnv): DynamicModule {
    return {
      module: AnalyticsAppModule,
      imports: [ServiceCoreModule.forRoot({ service: 'analytics', config, database: analyticsDatabase, streams: true })],
      controllers: [AnalyticsStreamsHandler, AnalyticsRpcController],
      providers: [
        TradeFactRepository,
        PositionFactRepository,
        BotFactRepository,
        RiskEventFactRepository,
        DashboardViewsRepository,
        PerformanceMetricsRepository,
        DailyPerformanceRepository,
        EquityPointRepository,
        PortfolioSnapshotRepository,
        AuditLogRepository,
        SystemEventRepository,
        PerformanceUpdater,
        AnalyticsQueries,
        { provide: ANALYTICS_SETTINGS, useValue: { defaultStartingEquity: new Decimal(config.ANALYTICS_DEFAULT_STARTING_EQUITY) } },
        {
          provide: ViewRefresher,
          inject: [DashboardViewsRepository],
          useFactory: (views: DashboardViewsRepository) => new ViewRefresher(views, config.ANALYTICS_VIEW_REFRESH_DEBOUNCE_MS),
        },
        {
          provide: MetricsSink,
          inject: [StreamsMetrics],
          useFactory: (streams: StreamsMetrics) => {
            const writer = config.INFLUX_URL
              ? new InfluxMetricsWriter({
                  url: config.INFLUX_URL,
                  token: config.INFLUX_TOKEN,
                  org: config.INFLUX_ORG,
                  bucket: config.INFLUX_BUCKET,
                  service: 'analytics',
                  flushIntervalMs: config.INFLUX_FLUSH_INTERVAL_MS,
                })
              : null;
            return new MetricsSink(writer, streams, 'analytics', config.ANALYTICS_SYSTEM_METRICS_INTERVAL_MS, instanceName(config));
          },
        },
        AnalyticsProjector,
        processedEventsPrunerProvider({ schema: 'analytics', ...processedEventsPruning(config) }),
      ],
    };
  }

  onModuleInit(): void {
    this.metrics.register('analytics', () => ({ influx: this.sink.stats(), viewRefreshes: this.views.refreshes }));
  }
}
