import { Controller, Module, type Type } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { NestFactory } from '@nestjs/core';
import type { INestMicroservice } from '@nestjs/common';
import { AuditRecorded, createEvent, MarketCandleClosed, type StreamEventMap, type StreamName } from '@trading/contracts';
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import type { StreamsMetrics } from '../metrics/streams-metrics.service';
import { OnStream, type OnStreamOptions } from '../server/on-stream.decorator';
import type { RedisStreamsContext } from '../server/redis-streams.context';
import { RedisStreamsServer } from '../server/redis-streams.server';
import type { RedisStreamsServerOptions } from '../streams.options';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export function testNamespace(label: string): string {
  return `test:streams-${label}:${Date.now().toString(36)}${randomBytes(3).toString('hex')}:`;
}

export async function deleteNamespace(redis: Redis, namespace: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${namespace}*`, 'COUNT', 1000);
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

export function candle(i: number): MarketCandleClosed.Event {
  const openTime = new Date(Date.UTC(2024, 0, 1) + i * 60_000);
  return createEvent(
    MarketCandleClosed.TYPE,
    {
      exchange: 'binance',
      symbol: 'BTC/USDT',
      timeframe: '1m',
      openTime: openTime.toISOString(),
      closeTime: new Date(openTime.getTime() + 59_999).toISOString(),
      open: '42000',
      high: '42100.5',
      low: '41900',
      close: `${42000 + (i % 100)}`,
      volume: '3.25',
      source: 'replay',
    },
    { source: 'test' },
  );
}

export function audit(i: number, details: Record<string, unknown> = {}): AuditRecorded.Event {
  return createEvent(
    AuditRecorded.TYPE,
    {
      actorUserId: null,
      action: 'test.recorded',
      resourceType: 'test',
      resourceId: String(i),
      outcome: 'success',
      ip: null,
      userAgent: null,
      details: { i, ...details },
      recordedAt: new Date().toISOString(),
    },
    { source: 'test' },
  );
}

export type TestHandler<S extends StreamName> = (event: StreamEventMap[S], context: RedisStreamsContext) => Promise<void> | void;

/** A Nest microservice with one `@OnStream(stream)` handler, on a RedisStreamsServer. */
export async function startConsumer<S extends StreamName>(
  stream: S,
  handle: TestHandler<S>,
  options: RedisStreamsServerOptions,
  onStream: OnStreamOptions<S> = {},
  metrics?: StreamsMetrics,
): Promise<{ app: INestMicroservice; server: RedisStreamsServer }> {
  @Controller()
  class TestStreamController {
    @OnStream(stream, onStream)
    async on(@Payload() event: StreamEventMap[S], @Ctx() context: RedisStreamsContext): Promise<void> {
      await handle(event, context);
    }
  }
  @Module({ controllers: [TestStreamController] })
  class TestConsumerModule {}

  const server = new RedisStreamsServer(options, metrics);
  const app = await NestFactory.createMicroservice(TestConsumerModule as Type, { strategy: server, logger: process.env.STREAMS_TEST_LOG ? ['log', 'warn', 'error'] : false });
  await app.listen();
  return { app, server };
}

/** Resolves once `check` holds; fails with `describe()` after `timeoutMs` (a safety net, not a timing assertion). */
export async function eventually(check: () => boolean | Promise<boolean>, describe: () => string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not reached in ${timeoutMs} ms: ${describe()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
