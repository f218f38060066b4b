import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Payload } from '@nestjs/microservices';
import { AuditRecorded, createEvent, ENVELOPE_FIELD, type StreamEventMap, Streams } from '@trading/contracts';
import { OnStream, RedisStreamsServer, StreamPublisher, streamKey } from '@trading/streams';
import Redis from 'ioredis';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';

/**
 * `npm run bench -- streams [--count N] [--rounds R] [--concurrency C] [--paced N]`
 *
 * A publisher process sends N audit events (200-byte payloads) to a consumer process, which
 * handles and acks them; measured twice in the same run: through @trading/streams
 * (StreamPublisher -> RedisStreamsServer with validation, Nest handler, batched acks) and
 * through a bare ioredis XADD / XREADGROUP / XACK loop. Throughput comes from a flood of N
 * messages; latency (publish -> handler) from a paced run well below saturation, since a
 * flood only measures queueing.
 */

const WORKER_FLAG = '--streams-bench-worker';
const PAYLOAD_BYTES = 200;
const READ_COUNT = 256;
const PUBLISH_BATCH = 500;
const PACED_BATCH = 10;
const PACED_INTERVAL_MS = 10;

type System = 'bare' | 'transport';

interface WorkerConfig {
  redisUrl: string;
  namespace: string;
  group: string;
  count: number;
  concurrency: number;
  /** 0: as fast as possible; else messages per PACED_INTERVAL_MS tick. */
  pacedBatch: number;
}

interface ConsumerResult {
  count: number;
  lastAckAt: number;
  p50: number;
  p99: number;
}

interface ProducerResult {
  startedAt: number;
}

const now = () => performance.timeOrigin + performance.now();

function parseArgs(args: string[]): { count: number; concurrency: number; paced: number; rounds: number } {
  const value = (name: string, fallback: number) => {
    const i = args.indexOf(`--${name}`);
    const parsed = i >= 0 ? Number(args[i + 1]) : fallback;
    if (!Number.isInteger(parsed) || parsed <= 0) throw new Error(`--${name} must be a positive integer`);
    return parsed;
  };
  return { count: value('count', 50_000), concurrency: value('concurrency', 256), paced: value('paced', 3_000), rounds: value('rounds', 3) };
}

export async function run(args: string[]): Promise<void> {
  const { count, concurrency, paced, rounds } = parseArgs(args);
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const namespace = `bench:streams:${randomBytes(4).toString('hex')}:`;
  console.log(`streams: ${count} messages (payload ${PAYLOAD_BYTES} B) publisher process -> consumer process, acked; Redis ${redisUrl}`);
  console.log(`throughput: median of ${rounds} alternating rounds; latency: ${paced} messages paced at ${(PACED_BATCH * 1000) / PACED_INTERVAL_MS}/s`);
  console.log(`transport concurrency ${concurrency}; bare loop XREADGROUP COUNT ${READ_COUNT}, one XACK per read`);
  const redis = new Redis(redisUrl);
  try {
    const rates: Record<System, number[]> = { bare: [], transport: [] };
    // Alternating rounds, so background load on the machine hits both systems alike.
    for (let round = 0; round < rounds; round++) {
      for (const system of ['bare', 'transport'] as const) {
        const flood = await measure(system, { redisUrl, namespace: `${namespace}${system}:flood${round}:`, group: 'bench', count, concurrency, pacedBatch: 0 });
        rates[system].push(flood.consumer.count / ((flood.consumer.lastAckAt - flood.producer.startedAt) / 1000));
        await deleteKeys(redis, `${namespace}${system}:flood${round}:`);
      }
    }
    const results = {} as Record<System, { perSecond: number; p50: number; p99: number; rounds: number[] }>;
    for (const system of ['bare', 'transport'] as const) {
      const pacedRun = await measure(system, { redisUrl, namespace: `${namespace}${system}:paced:`, group: 'bench', count: paced, concurrency, pacedBatch: PACED_BATCH });
      const [perSecond] = percentiles(rates[system], 50);
      results[system] = { perSecond, p50: pacedRun.consumer.p50, p99: pacedRun.consumer.p99, rounds: rates[system] };
    }
    const row = (label: string, r: { perSecond: number; p50: number; p99: number; rounds: number[] }) =>
      console.log(
        `${label.padEnd(28)}${Math.round(r.perSecond).toLocaleString('en-US').padStart(10)} msg/s   p50 ${r.p50.toFixed(2).padStart(6)} ms   p99 ${r.p99.toFixed(2).padStart(6)} ms   (rounds: ${r.rounds.map((x) => Math.round(x)).join(', ')})`,
      );
    row('bare ioredis loop', results.bare);
    row('@trading/streams transport', results.transport);
    const ratio = results.transport.perSecond / results.bare.perSecond;
    console.log(`ratio transport/bare throughput: ${ratio.toFixed(2)} (target >= 0.50: ${ratio >= 0.5 ? 'met' : 'NOT met'})`);
  } finally {
    await deleteKeys(redis, namespace);
    redis.disconnect();
  }
}

async function measure(system: System, config: WorkerConfig): Promise<{ consumer: ConsumerResult; producer: ProducerResult }> {
  const consumer = startWorker<ConsumerResult>(`${system}-consumer`, config);
  await consumer.ready;
  const producer = startWorker<ProducerResult>(`${system}-producer`, config);
  const [consumerResult, producerResult] = await Promise.all([consumer.result, producer.result]);
  return { consumer: consumerResult, producer: producerResult };
}

function startWorker<T>(role: string, config: WorkerConfig): { ready: Promise<void>; result: Promise<T> } {
  const child = spawn(process.execPath, [__filename, WORKER_FLAG, role, JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    if (output.includes('ready\n')) markReady();
  });
  const result = new Promise<T>((resolve, reject) => {
    child.on('exit', (code) => {
      const line = output.split('\n').find((l) => l.startsWith('result '));
      if (code !== 0 || !line) reject(new Error(`${role} worker exited with ${code}`));
      else resolve(JSON.parse(line.slice('result '.length)) as T);
    });
  });
  result.catch(() => markReady());
  return { ready, result };
}

function percentiles(values: number[], ...ps: number[]): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  return ps.map((p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN);
}

async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

function benchEvent(i: number): AuditRecorded.Event {
  const payload: AuditRecorded.Payload = {
    actorUserId: null,
    action: 'bench.message',
    resourceType: 'bench',
    resourceId: String(i),
    outcome: 'success',
    ip: null,
    userAgent: null,
    details: { sentAt: now(), pad: '' },
    recordedAt: new Date().toISOString(),
  };
  payload.details['pad'] = 'x'.repeat(Math.max(0, PAYLOAD_BYTES - JSON.stringify(payload).length));
  return createEvent(AuditRecorded.TYPE, payload, { source: 'bench' });
}

async function produce(config: WorkerConfig, send: (events: AuditRecorded.Event[]) => Promise<unknown>): Promise<ProducerResult> {
  const startedAt = now();
  const batch = config.pacedBatch || PUBLISH_BATCH;
  for (let sent = 0; sent < config.count; sent += batch) {
    const size = Math.min(batch, config.count - sent);
    await send(Array.from({ length: size }, (_, i) => benchEvent(sent + i)));
    if (config.pacedBatch) await new Promise((r) => setTimeout(r, PACED_INTERVAL_MS));
  }
  return { startedAt };
}

async function bareProducer(config: WorkerConfig): Promise<ProducerResult> {
  const redis = new Redis(config.redisUrl);
  const key = streamKey(config.namespace, Streams.Audit);
  const result = await produce(config, async (events) => {
    const pipeline = redis.pipeline();
    for (const event of events) pipeline.xadd(key, 'MAXLEN', '~', 1_000_000, '*', ENVELOPE_FIELD, JSON.stringify(event));
    await pipeline.exec();
  });
  redis.disconnect();
  return result;
}

async function transportProducer(config: WorkerConfig): Promise<ProducerResult> {
  const publisher = StreamPublisher.connect({ redisUrl: config.redisUrl, namespace: config.namespace });
  const result = await produce(config, (events) => publisher.publishBatch(Streams.Audit, events));
  await publisher.close();
  return result;
}

async function bareConsumer(config: WorkerConfig): Promise<ConsumerResult> {
  const reader = new Redis(config.redisUrl);
  const acker = new Redis(config.redisUrl);
  const key = streamKey(config.namespace, Streams.Audit);
  await reader.xgroup('CREATE', key, config.group, '0', 'MKSTREAM');
  process.stdout.write('ready\n');
  const latencies: number[] = [];
  const acks: Promise<unknown>[] = [];
  let count = 0;
  while (count < config.count) {
    const reply = (await reader.xreadgroup('GROUP', config.group, 'bare', 'COUNT', READ_COUNT, 'BLOCK', 1000, 'STREAMS', key, '>')) as
      | [string, [string, string[]][]][]
      | null;
    if (!reply) continue;
    const ids: string[] = [];
    for (const [id, fields] of reply[0][1]) {
      const event = JSON.parse(fields[1]) as AuditRecorded.Event;
      latencies.push(now() - Number(event.payload.details['sentAt']));
      ids.push(id);
    }
    acks.push(acker.xack(key, config.group, ...ids));
    count += ids.length;
  }
  await Promise.all(acks);
  const lastAckAt = now();
  reader.disconnect();
  acker.disconnect();
  const [p50, p99] = percentiles(latencies, 50, 99);
  return { count, lastAckAt, p50, p99 };
}

async function transportConsumer(config: WorkerConfig): Promise<ConsumerResult> {
  const latencies: number[] = [];
  let handled = 0;
  let allHandled: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (allHandled = resolve));

  @Controller()
  class BenchHandler {
    @OnStream(Streams.Audit)
    handle(@Payload() event: StreamEventMap['events:audit']): void {
      latencies.push(now() - Number(event.payload.details['sentAt']));
      if (++handled === config.count) allHandled();
    }
  }
  @Module({ controllers: [BenchHandler] })
  class BenchModule {}

  const server = new RedisStreamsServer({
    redisUrl: config.redisUrl,
    namespace: config.namespace,
    service: config.group,
    consumer: 'transport',
    concurrency: config.concurrency,
    blockMs: 1000,
  });
  const app = await NestFactory.createMicroservice(BenchModule, { strategy: server, logger: ['error', 'warn'] });
  await app.listen();
  process.stdout.write('ready\n');
  await done;
  // Acked means nothing left pending for the group.
  const check = new Redis(config.redisUrl);
  const key = streamKey(config.namespace, Streams.Audit);
  while (((await check.xpending(key, config.group)) as [number])[0] > 0) await new Promise((r) => setImmediate(r));
  const lastAckAt = now();
  check.disconnect();
  await app.close();
  const [p50, p99] = percentiles(latencies, 50, 99);
  return { count: handled, lastAckAt, p50, p99 };
}

const workers: Record<string, (config: WorkerConfig) => Promise<unknown>> = {
  'bare-producer': bareProducer,
  'bare-consumer': bareConsumer,
  'transport-producer': transportProducer,
  'transport-consumer': transportConsumer,
};

if (require.main === module && process.argv[2] === WORKER_FLAG) {
  require('reflect-metadata');
  const worker = workers[process.argv[3]];
  worker(JSON.parse(process.argv[4]) as WorkerConfig).then(
    (result) => {
      process.stdout.write(`result ${JSON.stringify(result)}\n`, () => process.exit(0));
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
