import Redis from 'ioredis';
import { performance } from 'node:perf_hooks';
import { sleep } from './pipeline-deployment';
import { percentiles } from './pipeline-trace';

const PAYLOAD_BYTES = 200;
const READ_COUNT = 256;
const FLOOD_BATCH = 500;
const GROUP = 'bench';

export interface BareRoundTrip {
  /** Messages/s from the first XADD of a flood to the XACK of its last message. */
  readonly perSecond: number;
  /** XADD -> XREADGROUP delivery at the paced rate, ms. */
  readonly p50: number;
  readonly p99: number;
}

/**
 * The floor under the pipeline, on the same Redis: a bare ioredis loop (as the streams bench's baseline)
 * of XADD on one connection and XREADGROUP COUNT 256 BLOCK + one XACK per read on two others. Throughput
 * from a flood of `floodCount` messages; latency from `pacedCount` messages at `rate`/s.
 */
export async function measureBareRoundTrip(redisUrl: string, keyPrefix: string, floodCount: number, pacedCount: number, rate: number): Promise<BareRoundTrip> {
  const flood = await roundTrip(redisUrl, `${keyPrefix}flood`, floodCount, 'max');
  const paced = await roundTrip(redisUrl, `${keyPrefix}paced`, pacedCount, rate);
  const [p50, p99] = percentiles(paced.latencies, 50, 99);
  return { perSecond: (floodCount * 1000) / flood.elapsedMs, p50, p99 };
}

async function roundTrip(redisUrl: string, key: string, count: number, rate: number | 'max'): Promise<{ elapsedMs: number; latencies: number[] }> {
  const producer = new Redis(redisUrl);
  const reader = new Redis(redisUrl);
  const acker = new Redis(redisUrl);
  try {
    await reader.xgroup('CREATE', key, GROUP, '0', 'MKSTREAM');
    const latencies: number[] = [];
    const consumed = (async () => {
      let received = 0;
      while (received < count) {
        const reply = (await reader.xreadgroup('GROUP', GROUP, 'bare', 'COUNT', READ_COUNT, 'BLOCK', 1000, 'STREAMS', key, '>')) as [string, [string, string[]][]][] | null;
        if (!reply) continue;
        const ids = reply[0][1].map(([id, fields]) => {
          latencies.push(performance.now() - Number((JSON.parse(fields[1]) as { sentAt: number }).sentAt));
          return id;
        });
        await acker.xack(key, GROUP, ...ids);
        received += ids.length;
      }
    })();
    const started = performance.now();
    const send = async (n: number) => {
      const pipeline = producer.pipeline();
      for (let i = 0; i < n; i++) pipeline.xadd(key, '*', 'event', message(performance.now()));
      await pipeline.exec();
    };
    if (rate === 'max') {
      for (let sent = 0; sent < count; sent += FLOOD_BATCH) await send(Math.min(FLOOD_BATCH, count - sent));
    } else {
      for (let sent = 0; sent < count; ) {
        const due = Math.min(count, Math.floor(((performance.now() - started) * rate) / 1000) + 1);
        if (due > sent) {
          await send(due - sent);
          sent = due;
        } else {
          await sleep(Math.max(1, started + (sent * 1000) / rate - performance.now()));
        }
      }
    }
    await consumed;
    return { elapsedMs: performance.now() - started, latencies };
  } finally {
    await producer.del(key);
    for (const connection of [producer, reader, acker]) connection.disconnect();
  }
}

function message(sentAt: number): string {
  const body = { sentAt, pad: '' };
  body.pad = 'x'.repeat(Math.max(0, PAYLOAD_BYTES - JSON.stringify(body).length));
  return JSON.stringify(body);
}
