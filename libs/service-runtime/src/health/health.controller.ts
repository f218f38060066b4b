import { Controller, Get, Inject, Optional } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { MetricsRegistry } from '../metrics/metrics.registry';
import { SERVICE_OPTIONS, ServiceOptions } from '../service-options';
import { PostgresHealthIndicator } from './postgres-health.indicator';
import { RedisHealthIndicator } from './redis-health.indicator';

const PROBE_TIMEOUT_MS = 1500;

@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly postgres: PostgresHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    private readonly metrics: MetricsRegistry,
    @Inject(SERVICE_OPTIONS) private readonly options: ServiceOptions,
    @Optional() private readonly dataSource?: DataSource,
  ) {}

  /** The process is up and its event loop answers. */
  @Get('health/live')
  live() {
    return { status: 'ok', service: this.options.service };
  }

  /** 200 when every dependency answers, 503 otherwise (terminus). */
  @Get('health/ready')
  @HealthCheck()
  ready() {
    const dataSource = this.dataSource;
    const checks = [() => this.redis.check('redis', PROBE_TIMEOUT_MS)];
    if (dataSource) checks.unshift(() => this.postgres.check('postgres', dataSource, PROBE_TIMEOUT_MS));
    return this.health.check(checks);
  }

  @Get('metrics')
  collect() {
    return this.metrics.collect();
  }
}
