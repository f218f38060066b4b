import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import Redis from 'ioredis';
import { createRedis } from '../redis/create-redis';

/**
 * Pings Redis on a connection of its own with no offline queue, so a probe fails at once
 * while Redis is unreachable instead of waiting for a reconnect.
 */
@Injectable()
export class RedisHealthIndicator implements OnModuleDestroy {
  private client?: Redis;

  constructor(private readonly indicators: HealthIndicatorService) {}

  configure(url: string, service: string): void {
    this.client = createRedis(url, `${service}:health`, { enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    this.client.on('error', () => undefined); // reported through the probe, not as log noise
  }

  async check(key: string, timeoutMs: number) {
    const indicator = this.indicators.check(key);
    if (!this.client) return indicator.down({ message: 'not configured' });
    try {
      const started = Date.now();
      await withTimeout(this.client.ping(), timeoutMs);
      return indicator.up({ latencyMs: Date.now() - started });
    } catch (error) {
      return indicator.down({ message: error instanceof Error ? error.message : String(error) });
    }
  }

  onModuleDestroy(): void {
    this.client?.disconnect();
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    }),
  ]);
}
