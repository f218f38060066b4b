import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Controller, Module } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { AuditRecorded, type StreamEventMap, Streams } from '@trading/contracts';
import Redis from 'ioredis';
import { audit, deleteNamespace, eventually, REDIS_URL, testNamespace } from '../__fixtures__/stream-test-kit';
import { connectStreamsConsumer } from '../connect-streams-consumer';
import { StreamPublisher } from '../publisher/stream-publisher';
import { OnStream } from '../server/on-stream.decorator';
import { StreamsModule } from '../streams.module';
import { StreamsMetrics } from './streams-metrics.service';

const handled: string[] = [];

@Controller()
class AuditTrail {
  @OnStream(Streams.Audit)
  async record(@Payload() event: StreamEventMap['events:audit']): Promise<void> {
    if (event.payload.action === 'test.poison') throw new Error('refused');
    handled.push(event.id);
  }
}

describe('StreamsModule + connectStreamsConsumer + StreamsMetrics (real Redis)', () => {
  const namespace = testNamespace('metrics');
  const redis = new Redis(REDIS_URL);
  let app: INestApplication | undefined;

  afterAll(async () => {
    await app?.close();
    await deleteNamespace(redis, namespace);
    redis.disconnect();
  });

  it('publishes through the injected publisher, consumes, and reports throughput, latency, lag and dead letters', async () => {
    @Module({
      imports: [StreamsModule.forRoot({ redisUrl: REDIS_URL, namespace, service: 'metrics-test', maxDeliveries: 1, blockMs: 200 })],
      controllers: [AuditTrail],
    })
    class MetricsTestModule {}

    const nest = (app = await NestFactory.create(MetricsTestModule, new FastifyAdapter(), { logger: false }));
    connectStreamsConsumer(nest);
    const publisher = nest.get(StreamPublisher);
    const metrics = nest.get(StreamsMetrics);
    const events = Array.from({ length: 50 }, (_, i) => audit(i));
    const poison: AuditRecorded.Event = { ...audit(99), payload: { ...audit(99).payload, action: 'test.poison' } };
    await publisher.publishBatch(Streams.Audit, [...events, poison]);
    await nest.init();
    await nest.startAllMicroservices();

    await eventually(async () => handled.length === 50 && (await metrics.snapshot()).totals.deadLettered === 1, () => `${handled.length} handled`);
    let snapshot = await metrics.snapshot();
    await eventually(
      async () => (snapshot = await metrics.snapshot()).groups[0]?.pending === 0,
      () => JSON.stringify(snapshot.groups),
    );
    expect(snapshot.totals).toEqual({ processed: 50, failed: 1, deadLettered: 1 });
    expect(snapshot.byStream[Streams.Audit]).toEqual({ processed: 50, failed: 1, deadLettered: 1 });
    expect(snapshot.handlerLatencyMs.samples).toBe(50);
    expect(snapshot.handlerLatencyMs.p50).not.toBeNull();
    expect(snapshot.handlerLatencyMs.p99! >= snapshot.handlerLatencyMs.p50!).toBe(true);
    expect(snapshot.groups).toEqual([{ stream: Streams.Audit, group: 'metrics-test', consumers: 1, pending: 0, lag: 0, lastDeliveredId: expect.any(String) }]);
    expect(snapshot.deadLetterStreamLength).toBe(1);
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
  });
});
