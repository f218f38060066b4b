import 'reflect-metadata';
import { main } from '@trading/service-runtime';
import { RedisStreamsServer, RpcRedisServer, STREAMS_OPTIONS, StreamsMetrics } from '@trading/streams';
import type { RedisStreamsServerOptions } from '@trading/streams';
import { RiskAppModule } from './app.module';
import { RiskEnv } from './config/risk.env';

main({
  service: 'risk',
  env: RiskEnv,
  defaultPort: 3005,
  module: (config) => RiskAppModule.forRoot(config),
  configure: async (app, config) => {
    // Initialise first: the book is rebuilt (RiskBookLoader.onModuleInit) before a transport delivers an entry or a
    // check; runService would otherwise start the transports before the init hooks ran.
    await app.init();
    // Two transports in one app: the streams server needs its own transportId so the RPC patterns stay on RpcRedisServer.
    const streams = new RedisStreamsServer(app.get<RedisStreamsServerOptions>(STREAMS_OPTIONS), app.get(StreamsMetrics));
    streams.setTransportId(Symbol('REDIS_STREAMS'));
    app.connectMicroservice({ strategy: streams }, { inheritAppConfig: true });
    app.connectMicroservice({ strategy: new RpcRedisServer({ redisUrl: config.REDIS_URL, namespace: config.REDIS_NAMESPACE }) });
  },
});
