import 'reflect-metadata';
import { main } from '@trading/service-runtime';
import { AnalyticsAppModule } from './app.module';
import { AnalyticsEnv } from './config/analytics.env';

main({ service: 'analytics', env: AnalyticsEnv, defaultPort: 3006, module: (config) => AnalyticsAppModule.forRoot(config) });
