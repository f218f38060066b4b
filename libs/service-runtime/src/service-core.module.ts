import { DynamicModule, Global, Inject, Module, OnModuleInit, RequestMethod } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { StreamsMetrics, StreamsModule } from '@trading/streams';
import { instanceName } from './instance-name';
import { TypeOrmModule } from '@nestjs/typeorm';
import { serviceDataSourceOptions } from '@trading/database';
import { pinoHttpOptions } from '@trading/observability';
import { LoggerModule } from 'nestjs-pino';
import pino from 'pino';
import { HealthController } from './health/health.controller';
import { PostgresHealthIndicator } from './health/postgres-health.indicator';
import { RedisHealthIndicator } from './health/redis-health.indicator';
import { MetricsRegistry } from './metrics/metrics.registry';
import { createRedis } from './redis/create-redis';
import { REDIS_CLIENT } from './redis/redis.tokens';
import { SERVICE_CONFIG, SERVICE_OPTIONS, ServiceOptions } from './service-options';
import type Redis from 'ioredis';

/**
 * What every service has: validated config, JSON logs, its PostgreSQL DataSource (when it owns
 * a schema), a Redis connection, health probes and a metrics endpoint.
 */
@Global()
@Module({})
export class ServiceCoreModule implements OnModuleInit {
  constructor(
    private readonly redisHealth: RedisHealthIndicator,
    private readonly metrics: MetricsRegistry,
    private readonly moduleRef: ModuleRef,
    @Inject(SERVICE_OPTIONS) private readonly options: ServiceOptions,
  ) {}

  static forRoot(options: ServiceOptions): DynamicModule {
    const { config, database, service } = options;
    const imports: DynamicModule['imports'] = [
      LoggerModule.forRoot({
        pinoHttp: options.logToStderr ? [pinoHttpOptions(service, config.LOG_LEVEL), pino.destination(2)] : pinoHttpOptions(service, config.LOG_LEVEL),
        exclude: [{ method: RequestMethod.GET, path: 'health/{*path}' }, { method: RequestMethod.GET, path: 'metrics' }],
      }),
      TerminusModule.forRoot({ logger: false }),
    ];
    if (database) {
      imports.push(
        TypeOrmModule.forRoot({
          ...serviceDataSourceOptions(database, config.DATABASE_URL, { poolSize: config.DATABASE_POOL_SIZE, applicationName: service }),
          retryAttempts: 5,
          retryDelay: 1000,
        }),
      );
    }
    if (options.streams) {
      imports.push(
        StreamsModule.forRoot({
          ...(options.streams === true ? {} : options.streams),
          redisUrl: config.REDIS_URL,
          namespace: config.REDIS_NAMESPACE,
          service,
          consumer: instanceName(config),
          shutdownTimeoutMs: Math.max(1000, config.SHUTDOWN_TIMEOUT_MS - 2000),
        }),
      );
    }
    return {
      module: ServiceCoreModule,
      imports,
      controllers: [HealthController],
      providers: [
        { provide: SERVICE_OPTIONS, useValue: options },
        { provide: SERVICE_CONFIG, useValue: config },
        PostgresHealthIndicator,
        RedisHealthIndicator,
        MetricsRegistry,
        {
          provide: REDIS_CLIENT,
          useFactory: () => {
            const redis = createRedis(config.REDIS_URL, service);
            redis.on('error', () => undefined); // reconnects on its own; readiness reports the outage
            return redis;
          },
        },
        {
          provide: 'REDIS_CLIENT_CLOSER',
          inject: [REDIS_CLIENT],
          useFactory: (redis: Redis) => ({ onApplicationShutdown: () => redis.quit().catch(() => redis.disconnect()) }),
        },
      ],
      exports: [SERVICE_OPTIONS, SERVICE_CONFIG, REDIS_CLIENT, MetricsRegistry],
    };
  }

  onModuleInit(): void {
    this.redisHealth.configure(this.options.config.REDIS_URL, this.options.service);
    if (this.options.streams) {
      const streams = this.moduleRef.get(StreamsMetrics, { strict: false });
      this.metrics.register('streams', () => streams.snapshot());
    }
  }
}
