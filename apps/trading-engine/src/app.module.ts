import { DynamicModule, Module } from '@nestjs/common';
import { ServiceCoreModule } from '@trading/service-runtime';
import { TradingEngineEnv } from './config/trading-engine.env';
import { tradingEngineDatabase } from './database/trading-engine.database';

@Module({})
export class TradingEngineAppModule {
  static forRoot(config: TradingEngineEnv): DynamicModule {
    return {
      module: TradingEngineAppModule,
      imports: [ServiceCoreModule.forRoot({ service: 'trading-engine', config, database: tradingEngineDatabase })],
    };
  }
}
