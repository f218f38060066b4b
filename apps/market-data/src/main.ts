import 'reflect-metadata';
import { main } from '@trading/service-runtime';
import { MarketDataAppModule } from './app.module';
import { MarketDataEnv } from './config/market-data.env';

main({ service: 'market-data', env: MarketDataEnv, defaultPort: 3002, rpc: true, module: (config) => MarketDataAppModule.forRoot(config) });
