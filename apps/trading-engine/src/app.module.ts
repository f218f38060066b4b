import { DynamicModule, Module } from '@nestjs/common';
import { processedEventsPruning, ServiceCoreModule } from '@trading/service-runtime';
import { normalizeNamespace, OutboxRelay, processedEventsPrunerProvider } from '@trading/streams';
import { DataSource } from 'typeorm';
import { TradingApiService } from './api/trading-api.service';
import { TradingRpcController } from './api/trading-rpc.controller';
import { BotAccountRepository } from './accounts/bot-account.repository';
import { AccountBalanceRepository } from './balances/account-balance.repository';
import { BalanceRepository } from './balances/balance.repository';
import { LiveHoldingsRepository } from './balances/live-holdings.repository';
import { FillBooker } from './booking/fill-booker';
import { TradingEngineEnv } from './config/trading-engine.env';
import { EngineConsumers } from './consumers/engine-consumers.service';
import { tradingEngineDatabase } from './database/trading-engine.database';
import { EngineContext } from './execution/engine-context';
import { OrderRecorder } from './execution/order-recorder';
import { PaperOrderDesk } from './execution/paper-order-desk';
import { LiveExchanges } from './live/live-exchanges';
import { LiveOrderDesk } from './live/live-order-desk';
import { OrderRepository } from './orders/order.repository';
import { PortfolioRepository } from './portfolios/portfolio.repository';
import { PositionAdjustmentRepository } from './positions/position-adjustment.repository';
import { PositionAdjustmentService } from './positions/position-adjustment.service';
import { PositionRepository } from './positions/position.repository';
import { BalanceReconciler } from './reconcile/balance-reconciler';
import { OpenOrderReconciler } from './reconcile/open-order-reconciler';
import { SignalProcessor } from './signals/signal-processor.service';
import { MarketEventProcessor } from './stops/market-event-processor.service';
import { TradeRepository } from './trades/trade.repository';

@Module({})
export class TradingEngineAppModule {
  static forRoot(config: TradingEngineEnv): DynamicModule {
    return {
      module: TradingEngineAppModule,
      imports: [ServiceCoreModule.forRoot({ service: 'trading-engine', config, database: tradingEngineDatabase })],
      controllers: [TradingRpcController],
      providers: [
        OrderRepository,
        TradeRepository,
        PositionRepository,
        PositionAdjustmentRepository,
        BalanceRepository,
        AccountBalanceRepository,
        LiveHoldingsRepository,
        PortfolioRepository,
        BotAccountRepository,
        EngineContext,
        OrderRecorder,
        PaperOrderDesk,
        LiveExchanges,
        LiveOrderDesk,
        TradingApiService,
        PositionAdjustmentService,
        FillBooker,
        SignalProcessor,
        MarketEventProcessor,
        OpenOrderReconciler,
        BalanceReconciler,
        EngineConsumers,
        {
          provide: OutboxRelay,
          inject: [DataSource],
          useFactory: (dataSource: DataSource) =>
            new OutboxRelay({ dataSource, schema: 'trading', redisUrl: config.REDIS_URL, namespace: normalizeNamespace(config.REDIS_NAMESPACE) }),
        },
        processedEventsPrunerProvider({ schema: 'trading', ...processedEventsPruning(config) }),
      ],
    };
  }
}
