import 'reflect-metadata';
import { main } from '@trading/service-runtime';
import { TradingEngineAppModule } from './app.module';
import { TradingEngineEnv } from './config/trading-engine.env';

main({ service: 'trading-engine', env: TradingEngineEnv, defaultPort: 3004, module: (config) => TradingEngineAppModule.forRoot(config), rpc: true });
