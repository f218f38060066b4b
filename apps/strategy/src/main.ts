import 'reflect-metadata';
import { main } from '@trading/service-runtime';
import { RedisStreamsServer, RpcRedisServer, STREAMS_OPTIONS, StreamsMetrics, type RedisStreamsServerOptions } from '@trading/streams';
import { StrategyAppModule } from './app.module';
import { StrategyEnv } from './config/strategy.env';

main({
  service: 'strategy',
  env: StrategyEnv,
  defaultPort: 3003,
  module: (config) => StrategyAppModule.forRoot(config),
  configure: (app, config) => {
    // The stream consumer gets its own transport id before it is connected (handlers bind at
    // connect time), so the @RpcHandler patterns go only to the RPC server (libs/streams README).
    const consumer = new RedisStreamsServer(app.get<RedisStreamsServerOptions>(STREAMS_OPTIONS), app.get(StreamsMetrics));
    consumer.transportId = Symbol('REDIS_STREAMS');
    app.connectMicroservice({ strategy: consumer }, { inheritAppConfig: true });
    // RPC channels use REDIS_NAMESPACE as given, like the gateway and the other services.
    app.connectMicroservice({ strategy: new RpcRedisServer({ redisUrl: config.REDIS_URL, namespace: config.REDIS_NAMESPACE }) });
  },
});
