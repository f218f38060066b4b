import { DynamicModule, Module } from '@nestjs/common';
import { ServiceCoreModule } from '@trading/service-runtime';
import { MarketDataEnv } from './config/market-data.env';
import { marketDataDatabase } from './database/market-data.database';

@Module({})
export class MarketDataAppModule {
  static forRoot(config: MarketDataEnv): DynamicModule {
    return {
      module: MarketDataAppModule,
      imports: [ServiceCoreModule.forRoot({ service: 'market-data', config, database: marketDataDatabase })],
    };
  }
}
