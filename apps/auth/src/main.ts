import 'reflect-metadata';
import { main } from '@trading/service-runtime';
import { AuthAppModule } from './app.module';
import { AuthEnv } from './config/auth.env';

main({ service: 'auth', env: AuthEnv, defaultPort: 3001, module: (config) => AuthAppModule.forRoot(config) });
