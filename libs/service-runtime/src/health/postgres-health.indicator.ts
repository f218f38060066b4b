import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { withTimeout } from './redis-health.indicator';

@Injectable()
export class PostgresHealthIndicator {
  constructor(private readonly indicators: HealthIndicatorService) {}

  async check(key: string, dataSource: DataSource, timeoutMs: number) {
    const indicator = this.indicators.check(key);
    try {
      const started = Date.now();
      await withTimeout(dataSource.query('SELECT 1'), timeoutMs);
      return indicator.up({ latencyMs: Date.now() - started });
    } catch (error) {
      return indicator.down({ message: error instanceof Error ? error.message : String(error) });
    }
  }
}
