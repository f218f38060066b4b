import { DynamicModule, Module } from '@nestjs/common';
import { ServiceCoreModule } from '@trading/service-runtime';
import { StrategyEnv } from './config/strategy.env';
import { strategyDatabase } from './database/strategy.database';

@Module({})
export class StrategyAppModule {
  static forRoot(config: StrategyEnv): DynamicModule {
    return {
      module: StrategyAppModule,
      imports: [ServiceCoreModule.forRoot({ service: 'strategy', config, database: strategyDatabase })],
    };
  }
}
