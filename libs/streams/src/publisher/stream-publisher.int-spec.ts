import { ENVELOPE_FIELD, Streams, TradeExecuted } from '@trading/contracts';
import Redis from 'ioredis';
import { audit, candle, deleteNamespace, REDIS_URL, testNamespace } from '../__fixtures__/stream-test-kit';
import { streamKey } from '../redis/stream-keys';
import { StreamPublisher } from './stream-publisher';

describe('StreamPublisher (real Redis)', () => {
  const namespace = testNamespace('publisher');
  const redis = new Redis(REDIS_URL);
  const publisher = StreamPublisher.connect({ redisUrl: REDIS_URL, namespace, maxLen: { [Streams.Audit]: 1_000 } });

  afterAll(async () => {
    await publisher.close();
    await deleteNamespace(redis, namespace);
    redis.disconnect();
  });

  it('writes one entry per event, with exactly one field holding the envelope JSON, under the namespace', async () => {
    const event = candle(1);
    const id = await publisher.publish(Streams.MarketData, event);
    const entries = await redis.xrange(streamKey(namespace, Streams.MarketData), id, id);
    expect(entries).toEqual([[id, [ENVELOPE_FIELD, JSON.stringify(event)]]]);
    // Other suites may use the un-namespaced stream on this shared Redis: look for this event only.
    const unprefixed = await redis.xrange(Streams.MarketData, id, id);
    expect(unprefixed.map(([, fields]) => fields[1])).not.toContain(JSON.stringify(event));
  });

  it('publishes a batch in order and returns the entry ids', async () => {
    const events = Array.from({ length: 2_500 }, (_, i) => candle(i));
    const ids = await publisher.publishBatch(Streams.MarketData, events);
    expect(ids).toHaveLength(2_500);
    const stored = await redis.xrange(streamKey(namespace, Streams.MarketData), ids[0], ids[ids.length - 1]);
    expect(stored.map(([id, fields]) => [id, JSON.parse(fields[1]).id])).toEqual(events.map((e, i) => [ids[i], e.id]));
  });

  it('publishes to several streams in one round trip and accepts raw outbox JSON', async () => {
    const [a, b] = await publisher.publishMany([
      { stream: Streams.MarketData, event: candle(7) },
      { stream: Streams.Audit, event: audit(7) },
    ]);
    const raw = JSON.stringify(audit(8));
    const c = await publisher.publishRaw(Streams.Audit, raw);
    expect(await redis.xrange(streamKey(namespace, Streams.MarketData), a, a)).toHaveLength(1);
    expect((await redis.xrange(streamKey(namespace, Streams.Audit), b, c)).map(([, f]) => f[1])).toContain(raw);
  });

  it('trims with MAXLEN ~ to about the configured length, never below it', async () => {
    await publisher.publishBatch(
      Streams.Audit,
      Array.from({ length: 3_000 }, (_, i) => audit(i)),
    );
    const length = await redis.xlen(streamKey(namespace, Streams.Audit));
    expect(length).toBeGreaterThanOrEqual(1_000);
    expect(length).toBeLessThan(3_000);
  });
});

// Type-level checks, enforced by `tsc --noEmit` (jest does not type-check).
export async function typeChecks(publisher: StreamPublisher, trade: TradeExecuted.Event): Promise<void> {
  await publisher.publish(Streams.Trades, trade);
  // @ts-expect-error a candle is not carried by events:trades
  await publisher.publish(Streams.Trades, candle(1));
  // @ts-expect-error nor is a trade carried by events:market_data
  await publisher.publishBatch(Streams.MarketData, [trade]);
  // @ts-expect-error publishMany checks each pair
  await publisher.publishMany([{ stream: Streams.Audit, event: trade }]);
}
