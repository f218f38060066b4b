import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown, Provider, type ModuleMetadata } from '@nestjs/common';
import type Redis from 'ioredis';
import { StreamsMetrics } from './metrics/streams-metrics.service';
import { StreamPublisher } from './publisher/stream-publisher';
import { createRedisConnection } from './redis/redis-connection';
import type { RedisStreamsServerOptions } from './streams.options';
import { STREAMS_OPTIONS, STREAMS_REDIS } from './streams.tokens';

/** Everything a service needs: where Redis is, who it is, and optionally consumer tuning. */
export type StreamsModuleOptions = RedisStreamsServerOptions;

export interface StreamsModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  inject?: (string | symbol | (abstract new (...args: never[]) => unknown))[];
  useFactory: (...args: never[]) => StreamsModuleOptions | Promise<StreamsModuleOptions>;
}

@Injectable()
class StreamsConnectionCloser implements OnApplicationShutdown {
  constructor(@Inject(STREAMS_REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

const sharedProviders: Provider[] = [
  {
    provide: STREAMS_REDIS,
    inject: [STREAMS_OPTIONS],
    useFactory: (options: StreamsModuleOptions) => createRedisConnection(options.redisUrl, { name: `${options.service}:streams` }),
  },
  {
    provide: StreamPublisher,
    inject: [STREAMS_OPTIONS, STREAMS_REDIS],
    useFactory: (options: StreamsModuleOptions, redis: Redis) => new StreamPublisher(options, redis),
  },
  {
    provide: StreamsMetrics,
    inject: [STREAMS_REDIS],
    useFactory: (redis: Redis) => new StreamsMetrics(redis),
  },
  StreamsConnectionCloser,
];

/**
 * `StreamsModule.forRoot({ redisUrl, service, namespace })` gives every module the
 * StreamPublisher and StreamsMetrics. Consuming is a separate step, done in main.ts with
 * `connectStreamsConsumer(app)` (a Nest microservice on the same options).
 */
@Global()
@Module({})
export class StreamsModule {
  static forRoot(options: StreamsModuleOptions): DynamicModule {
    return {
      module: StreamsModule,
      providers: [{ provide: STREAMS_OPTIONS, useValue: options }, ...sharedProviders],
      exports: [STREAMS_OPTIONS, StreamPublisher, StreamsMetrics],
    };
  }

  static forRootAsync(options: StreamsModuleAsyncOptions): DynamicModule {
    return {
      module: StreamsModule,
      imports: options.imports ?? [],
      providers: [{ provide: STREAMS_OPTIONS, inject: options.inject ?? [], useFactory: options.useFactory }, ...sharedProviders],
      exports: [STREAMS_OPTIONS, StreamPublisher, StreamsMetrics],
    };
  }
}
