import { DynamicModule, Module } from '@nestjs/common';
import { ServiceCoreModule } from '@trading/service-runtime';
import { ApiGatewayEnv } from './config/api-gateway.env';

@Module({})
export class ApiGatewayAppModule {
  static forRoot(config: ApiGatewayEnv): DynamicModule {
    return {
      module: ApiGatewayAppModule,
      imports: [ServiceCoreModule.forRoot({ service: 'api-gateway', config })],
    };
  }
}
