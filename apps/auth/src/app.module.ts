import { DynamicModule, Module } from '@nestjs/common';
import { ServiceCoreModule } from '@trading/service-runtime';
import { AuthEnv } from './config/auth.env';
import { authDatabase } from './database/auth.database';

@Module({})
export class AuthAppModule {
  static forRoot(config: AuthEnv): DynamicModule {
    return {
      module: AuthAppModule,
      imports: [ServiceCoreModule.forRoot({ service: 'auth', config, database: authDatabase })],
    };
  }
}
