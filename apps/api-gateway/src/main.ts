import 'reflect-metadata';
import { main } from '@trading/service-runtime';
import { ApiGatewayAppModule } from './app.module';
import { ApiGatewayEnv } from './config/api-gateway.env';

main({ service: 'api-gateway', env: ApiGatewayEnv, defaultPort: 3000, module: (config) => ApiGatewayAppModule.forRoot(config) });
