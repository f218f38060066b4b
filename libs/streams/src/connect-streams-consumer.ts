import type { INestApplication } from '@nestjs/common';
import { StreamsMetrics } from './metrics/streams-metrics.service';
import { RedisStreamsServer } from './server/redis-streams.server';
import type { RedisStreamsServerOptions } from './streams.options';
import { STREAMS_OPTIONS } from './streams.tokens';

/**
 * Attaches the Redis Streams consumer to an app that imported StreamsModule, sharing its
 * options and metrics; start it with `app.startAllMicroservices()`. Same as
 * `app.connectMicroservice({ strategy: new RedisStreamsServer(options, metrics) })`.
 */
export function connectStreamsConsumer(app: INestApplication, overrides: Partial<RedisStreamsServerOptions> = {}): RedisStreamsServer {
  const options = app.get<RedisStreamsServerOptions>(STREAMS_OPTIONS);
  const server = new RedisStreamsServer({ ...options, ...overrides }, app.get(StreamsMetrics));
  app.connectMicroservice({ strategy: server }, { inheritAppConfig: true });
  return server;
}
