import { DynamicModule, Module } from '@nestjs/common';
import { ServiceCoreModule } from '@trading/service-runtime';
import { RiskEnv } from './config/risk.env';
import { riskDatabase } from './database/risk.database';

@Module({})
export class RiskAppModule {
  static forRoot(config: RiskEnv): DynamicModule {
    return {
      module: RiskAppModule,
      imports: [ServiceCoreModule.forRoot({ service: 'risk', config, database: riskDatabase })],
    };
  }
}
