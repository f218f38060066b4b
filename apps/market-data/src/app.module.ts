import { DynamicModule, Module } from '@nestjs/common';
import { ServiceCoreModule } from '@trading/service-runtime';
import { CandleRepository } from './candles/candle.repository';
import { MarketDataEnv } from './config/market-data.env';
import { marketDataDatabase } from './database/market-data.database';
import { FeedRunner } from './feeds/feed-runner.service';
import { IngestService } from './ingest/ingest.service';
import { marketOutboxRelayProvider } from './outbox/market-outbox';
import { TradingPairRepository } from './pairs/trading-pair.repository';
import { OhlcvPartitionMaintenance } from './partitions/ohlcv-partition-maintenance';
import { PartitionScheduler } from './partitions/partition-scheduler.service';
import { MarketQueriesController } from './queries/market-queries.controller';
import { TickerRepository } from './tickers/ticker.repository';

@Module({})
export class MarketDataAppModule {
  /** `task: true` for one-shot tasks (tradectl data ...): no feeds, no scheduler, logs on stderr. */
  static forRoot(config: MarketDataEnv, { task = false } = {}): DynamicModule {
    return {
      module: MarketDataAppModule,
      imports: [ServiceCoreModule.forRoot({ service: 'market-data', config, database: marketDataDatabase, streams: true, logToStderr: task })],
      controllers: task ? [] : [MarketQueriesController],
      providers: [CandleRepository, TickerRepository, TradingPairRepository, OhlcvPartitionMaintenance, IngestService, marketOutboxRelayProvider, ...(task ? [] : [PartitionScheduler, FeedRunner])],
    };
  }
}
