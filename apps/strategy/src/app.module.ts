import { DynamicModule, Module } from '@nestjs/common';
import { processedEventsPruning, ServiceCoreModule } from '@trading/service-runtime';
import { processedEventsPrunerProvider } from '@trading/streams';
import { BacktestRepository } from './backtests/backtest.repository';
import { BacktestWorker } from './backtests/backtest-worker.service';
import { BacktestsService } from './backtests/backtests.service';
import { BotConfigurationRepository } from './bots/bot-configuration.repository';
import { BotStateRepository } from './bots/bot-state.repository';
import { BotRepository } from './bots/bot.repository';
import { BotsService } from './bots/bots.service';
import { StrategyCatalogService } from './catalog/strategy-catalog.service';
import { candleConcurrency, StrategyEnv } from './config/strategy.env';
import { strategyDatabase } from './database/strategy.database';
import { CandleEvaluationService } from './evaluation/candle-evaluation.service';
import { MarketCandleHandler } from './evaluation/market-candle.handler';
import { strategyOutboxRelayProvider } from './outbox/strategy-outbox-relay.provider';
import { BacktestsRpcController } from './rpc/backtests.rpc-controller';
import { BotsRpcController } from './rpc/bots.rpc-controller';
import { CatalogRpcController } from './rpc/catalog.rpc-controller';
import { SignalsRpcController } from './rpc/signals.rpc-controller';
import { SignalRepository } from './signals/signal.repository';
import { SignalsService } from './signals/signals.service';
import { StrategyRepository } from './strategies/strategy.repository';

@Module({})
export class StrategyAppModule {
  static forRoot(config: StrategyEnv): DynamicModule {
    return {
      module: StrategyAppModule,
      imports: [
        ServiceCoreModule.forRoot({
          service: 'strategy',
          config,
          database: strategyDatabase,
          streams: { claimIdleMs: config.STREAMS_CLAIM_IDLE_MS, concurrency: candleConcurrency(config) },
        }),
      ],
      controllers: [MarketCandleHandler, CatalogRpcController, BotsRpcController, SignalsRpcController, BacktestsRpcController],
      providers: [
        StrategyRepository,
        BotRepository,
        BotStateRepository,
        BotConfigurationRepository,
        SignalRepository,
        BacktestRepository,
        StrategyCatalogService,
        BotsService,
        SignalsService,
        CandleEvaluationService,
        BacktestsService,
        BacktestWorker,
        strategyOutboxRelayProvider,
        processedEventsPrunerProvider({ schema: 'strategy', ...processedEventsPruning(config) }),
      ],
    };
  }
}
