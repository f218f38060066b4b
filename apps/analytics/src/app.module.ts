import { DynamicModule, Module } from '@nestjs/common';
import { ServiceCoreModule } from '@trading/service-runtime';
import { AnalyticsEnv } from './config/analytics.env';
import { analyticsDatabase } from './database/analytics.database';

@Module({})
export class AnalyticsAppModule {
  static forRoot(config: AnalyticsEnv): DynamicModule {
    return {
      module: AnalyticsAppModule,
      imports: [ServiceCoreModule.forRoot({ service: 'analytics', config, database: analyticsDatabase })],
    };
  }
}
