import 'reflect-metadata';
import { main } from '@trading/service-runtime';
import { StrategyAppModule } from './app.module';
import { StrategyEnv } from './config/strategy.env';

main({ service: 'strategy', env: StrategyEnv, defaultPort: 3003, module: (config) => StrategyAppModule.forRoot(config) });
