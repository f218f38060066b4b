import 'reflect-metadata';
import { main } from '@trading/service-runtime';
import { RedisStreamsServer, RpcRedisServer, STREAMS_OPTIONS, StreamsMetrics } from '@trading/streams';
import type { RedisStreamsServerOptions } from '@trading/streams';
import { AnalyticsAppModule } from './app.module';
import { AnalyticsEnv } from './config/analytics.env';

main({
  service: 'analytics',
  env: AnalyticsEnv,
  defaultPort: 3006,
  module: (config) => AnalyticsAppModule.forRoot(config),
  configure: (app, config) => {
    // Two transports in one app: the streams server needs its own transportId so the RPC patterns stay on RpcRedisServer.
    const streams = new RedisStreamsServer(app.get<RedisStreamsServerOptions>(STREAMS_OPTIONS), app.get(StreamsMetrics));
    streams.setTransportId(Symbol('REDIS_STREAMS'));
    app.connectMicroservice({ strategy: streams }, { inheritAppConfig: true });
    app.connectMicroservice({ strategy: new RpcRedisServer({ redisUrl: config.REDIS_URL, namespace: config.REDIS_NAMESPACE }) });
  },
});
