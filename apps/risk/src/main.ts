import 'reflect-metadata';
import { main } from '@trading/service-runtime';
import { RiskAppModule } from './app.module';
import { RiskEnv } from './config/risk.env';

main({ service: 'risk', env: RiskEnv, defaultPort: 3005, module: (config) => RiskAppModule.forRoot(config) });
