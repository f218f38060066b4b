import 'reflect-metadata';
import { main } from '@trading/service-runtime';
import { RpcRedisServer } from '@trading/streams';
import { AuthAppModule } from './app.module';
import { AuthEnv } from './config/auth.env';

main({
  service: 'auth',
  env: AuthEnv,
  defaultPort: 3001,
  module: (config) => AuthAppModule.forRoot(config),
  configure: (app, config) => {
    // The account patterns are answered over RPC (Redis); HTTP serves only health and metrics.
    // Validation and error mapping are bound on the RPC controllers (rpc/rpc-enhancers.ts).
    app.connectMicroservice({ strategy: new RpcRedisServer({ redisUrl: config.REDIS_URL, namespace: config.REDIS_NAMESPACE }) });
  },
});
