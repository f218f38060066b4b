import type { INestMicroservice } from '@nestjs/common';
import {
  createEvent,
  DeadLettered,
  ENVELOPE_FIELD,
  OrderRejected,
  RiskLimitBreached,
  SignalEmitted,
  Streams,
  TradeExecuted,
  validateEnvelope,
} from '@trading/contracts';
import Redis from 'ioredis';
import { audit, candle, deferred, deleteNamespace, eventually, REDIS_URL, startConsumer, testNamespace } from '../__fixtures__/stream-test-kit';
import { StreamPublisher } from '../publisher/stream-publisher';
import { streamKey } from '../redis/stream-keys';

describe('RedisStreamsServer (real Redis)', () => {
  const redis = new Redis(REDIS_URL);
  const apps: INestMicroservice[] = [];
  // Each test in a namespace of its own: a new group starts from 0 and would see earlier tests' events.
  let namespace: string;
  let publisher: StreamPublisher;
  let base: { redisUrl: string; namespace: string; blockMs: number; retryBackoffMs: number };

  beforeEach(() => {
    namespace = testNamespace('server');
    publisher = StreamPublisher.connect({ redisUrl: REDIS_URL, namespace });
    base = { redisUrl: REDIS_URL, namespace, blockMs: 200, retryBackoffMs: 10 };
  });

  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
    await publisher.close();
    await deleteNamespace(redis, namespace);
  });

  async function deadLetters() {
    const entries = await redis.xrange(streamKey(namespace, Streams.DeadLetter), '-', '+');
    return entries.map(([, fields]) => {
      const result = validateEnvelope(fields[1], Streams.DeadLetter);
      if (!result.ok) throw new Error(result.reasons.join('; '));
      return result.event.payload as DeadLettered.Payload;
    });
  }

  afterAll(() => redis.disconnect());

  // Acks follow the handler's promise (batched per event-loop turn): wait for them.
  async function expectNothingPending(key: string, group: string): Promise<void> {
    let pending = -1;
    await eventually(
      async () => (pending = ((await redis.xpending(key, group)) as [number])[0]) === 0,
      () => `${pending} still pending`,
    );
  }

  it('splits a stream between two consumers of one group, while another group sees every event', async () => {
    const events = Array.from({ length: 400 }, (_, i) => candle(i));
    const byConsumer = new Map<string, string[]>();
    const other: string[] = [];
    const record = (consumer: string, id: string) => byConsumer.set(consumer, [...(byConsumer.get(consumer) ?? []), id]);
    for (const consumer of ['a', 'b']) {
      const started = await startConsumer(
        Streams.MarketData,
        async (event, ctx) => {
          // Yield so both consumers get a share of the reads.
          await new Promise((r) => setTimeout(r, 1));
          record(ctx.getConsumer(), event.id);
        },
        { ...base, service: 'split-strategy', consumer, concurrency: 4 },
      );
      apps.push(started.app);
    }
    const third = await startConsumer(Streams.MarketData, (event) => void other.push(event.id), { ...base, service: 'split-analytics', consumer: 'c' });
    apps.push(third.app);

    await publisher.publishBatch(Streams.MarketData, events);
    const handledByGroup = () => [...byConsumer.values()].flat();
    await eventually(
      () => handledByGroup().length >= events.length && other.length >= events.length,
      () => `group ${handledByGroup().length}, other ${other.length}`,
    );

    const ids = events.map((e) => e.id).sort();
    expect([...handledByGroup()].sort()).toEqual(ids);
    expect(byConsumer.get('a')?.length).toBeGreaterThan(0);
    expect(byConsumer.get('b')?.length).toBeGreaterThan(0);
    expect([...other].sort()).toEqual(ids);
    await expectNothingPending(streamKey(namespace, Streams.MarketData), 'split-strategy');
  });

  it('dead-letters a poison message after maxDeliveries and keeps handling the ones behind it', async () => {
    const events = Array.from({ length: 20 }, (_, i) => audit(i));
    const poison = events[3].id;
    const attempts = new Map<string, number[]>();
    const handled: string[] = [];
    const { app } = await startConsumer(
      Streams.Audit,
      (event, ctx) => {
        attempts.set(event.id, [...(attempts.get(event.id) ?? []), ctx.getDeliveries()]);
        if (event.id === poison) throw new Error('cannot digest this one');
        handled.push(event.id);
      },
      { ...base, service: 'poison', maxDeliveries: 3, concurrency: 4 },
    );
    apps.push(app);
    await publisher.publishBatch(Streams.Audit, events);
    await eventually(async () => handled.length === 19 && (await deadLetters()).length === 1, () => `handled ${handled.length}`);

    expect(attempts.get(poison)).toEqual([1, 2, 3]);
    const [letter] = await deadLetters();
    expect(letter).toMatchObject({ stream: Streams.Audit, service: 'poison', deliveries: 3, reason: 'handler failed 3 times: Error: cannot digest this one' });
    expect(JSON.parse(letter.raw).id).toBe(poison);
    await expectNothingPending(streamKey(namespace, Streams.Audit), 'poison');
  });

  it('dead-letters an invalid payload at once without calling the handler', async () => {
    const dlqBefore = 0;
    const handled: string[] = [];
    const { app } = await startConsumer(Streams.Trades, (event) => void handled.push(event.id), { ...base, service: 'invalid' });
    apps.push(app);
    const key = streamKey(namespace, Streams.Trades);
    const badJson = await redis.xadd(key, '*', ENVELOPE_FIELD, '{"id":');
    const wrongStream = await redis.xadd(key, '*', ENVELOPE_FIELD, JSON.stringify(candle(1)));
    const noField = await redis.xadd(key, '*', 'payload', 'x');
    await eventually(async () => (await deadLetters()).length === dlqBefore + 3, () => 'waiting for 3 dead letters');

    const letters = (await deadLetters()).slice(dlqBefore);
    expect(letters.map((l) => l.entryId)).toEqual([badJson, wrongStream, noField]);
    expect(letters.map((l) => l.deliveries)).toEqual([1, 1, 1]);
    expect(letters[0].reason).toContain('not JSON');
    expect(letters[1].reason).toContain('"market.candle.closed" is not carried by events:trades');
    expect(letters[2].reason).toContain('no "event" field');
    expect(handled).toEqual([]);
    await expectNothingPending(key, 'invalid');
  });

  it('never runs two events of one partition key at once, and keeps their order', async () => {
    const events = Array.from({ length: 120 }, (_, i) => audit(i, { key: `k${i % 4}` }));
    const active = new Map<string, number>();
    const seen = new Map<string, number[]>();
    let overlaps = 0;
    let running = 0;
    let maxRunning = 0;
    const keyOf = (event: { payload: { details: Record<string, unknown> } }) => String(event.payload.details['key']);
    const { app } = await startConsumer(
      Streams.Audit,
      async (event) => {
        const key = keyOf(event);
        if ((active.get(key) ?? 0) > 0) overlaps++;
        active.set(key, (active.get(key) ?? 0) + 1);
        running++;
        maxRunning = Math.max(maxRunning, running);
        await new Promise((r) => setImmediate(r));
        seen.set(key, [...(seen.get(key) ?? []), Number(event.payload.details['i'])]);
        running--;
        active.set(key, (active.get(key) ?? 0) - 1);
      },
      { ...base, service: 'partitioned', concurrency: 8 },
      { partitionKey: (event) => (event.type === 'audit.recorded' ? keyOf(event) : null) },
    );
    apps.push(app);
    await publisher.publishBatch(Streams.Audit, events);
    await eventually(() => [...seen.values()].flat().length === 120, () => `${[...seen.values()].flat().length} handled`);

    expect(overlaps).toBe(0);
    expect(maxRunning).toBeLessThanOrEqual(8);
    for (const [key, order] of seen) {
      const expected = events.map((e) => e.payload.details as { i: number; key: string }).filter((d) => d.key === key).map((d) => d.i);
      expect(order).toEqual(expected);
    }
  });

  it('holds at most `concurrency` handlers at once', async () => {
    let running = 0;
    let maxRunning = 0;
    let done = 0;
    const { app } = await startConsumer(
      Streams.Orders,
      async () => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        await new Promise((r) => setTimeout(r, 2));
        running--;
        done++;
      },
      { ...base, service: 'bounded', concurrency: 3 },
    );
    apps.push(app);
    const orders = Array.from({ length: 60 }, (_, i) =>
      createEvent(
        OrderRejected.TYPE,
        {
          orderId: '0190b6a4-5f6e-7c3b-8a2d-000000000002',
          clientOrderId: `c${i}`,
          botId: null,
          userId: '0190b6a4-5f6e-7c3b-8a2d-1e2f3a4b5c6d',
          signalId: null,
          exchange: 'paper',
          symbol: 'BTC/USDT',
          side: 'buy',
          mode: 'paper',
          quantity: '1',
          price: null,
          rejectedBy: 'risk',
          reasons: ['RISK_MAX_EXPOSURE'],
          message: 'too much',
          rejectedAt: new Date().toISOString(),
        },
        { source: 'test' },
      ),
    );
    await publisher.publishBatch(Streams.Orders, orders);
    await eventually(() => done === 60, () => `${done} done`);
    expect(maxRunning).toBe(3);
  });

  it('takes over entries a dead consumer left pending, counting the earlier delivery', async () => {
    const key = streamKey(namespace, Streams.StrategySignals);
    await redis.xgroup('CREATE', key, 'claimer', '0', 'MKSTREAM');
    const signals = Array.from({ length: 10 }, (_, i) =>
      createEvent(
        SignalEmitted.TYPE,
        {
          signalId: SignalEmitted.signalIdOf('0190b6a4-5f6e-7c3b-8a2d-1e2f3a4b5c6e', new Date(Date.UTC(2024, 0, 1, 0, i)).toISOString(), 'long'),
          botId: '0190b6a4-5f6e-7c3b-8a2d-1e2f3a4b5c6e',
          userId: '0190b6a4-5f6e-7c3b-8a2d-1e2f3a4b5c6d',
          strategy: 'sma-cross',
          exchange: 'binance',
          symbol: 'BTC/USDT',
          timeframe: '1m',
          candleTime: new Date(Date.UTC(2024, 0, 1, 0, i)).toISOString(),
          target: 'long',
          price: '42000.5',
          reason: 'fast SMA crossed above slow SMA',
          indicators: { smaFast: 42010.2, smaSlow: 41990.7 },
        },
        { source: 'strategy' },
      ),
    );
    await publisher.publishBatch(Streams.StrategySignals, signals);
    // A consumer that read everything and died without acking.
    await redis.xreadgroup('GROUP', 'claimer', 'dead-one', 'COUNT', 100, 'STREAMS', key, '>');
    const handled = new Map<string, number>();
    const { app } = await startConsumer(Streams.StrategySignals, (event, ctx) => void handled.set(event.id, ctx.getDeliveries()), {
      ...base,
      service: 'claimer',
      consumer: 'alive',
      claimIdleMs: 100,
      claimIntervalMs: 50,
    });
    apps.push(app);
    await eventually(() => handled.size === 10, () => `${handled.size} handled`);
    expect([...handled.values()].every((d) => d === 2)).toBe(true);
    await expectNothingPending(key, 'claimer');
  });

  it('keeps an entry waiting for its retry owned: the other consumer never claims it, however short claimIdleMs', async () => {
    const key = streamKey(namespace, Streams.Audit);
    const calls: { consumer: string; deliveries: number; ok: boolean }[] = [];
    let pendingAtRetry: unknown;
    const handle = async (_event: unknown, ctx: { getConsumer(): string; getDeliveries(): number }) => {
      const ok = calls.length > 0;
      if (ok) pendingAtRetry = await redis.xpending(key, 'owned', '-', '+', 10);
      calls.push({ consumer: ctx.getConsumer(), deliveries: ctx.getDeliveries(), ok });
      if (!ok) throw new Error('first attempt fails');
    };
    // The retry waits ~2 s (±20 %), four times claimIdleMs; the other consumer looks for idle entries every 50 ms.
    for (const consumer of ['a', 'b']) {
      const { app } = await startConsumer(Streams.Audit, handle, { ...base, service: 'owned', consumer, retryBackoffMs: 2000, claimIdleMs: 500, claimIntervalMs: 50 });
      apps.push(app);
    }
    await publisher.publish(Streams.Audit, audit(1));

    await eventually(() => calls.some((c) => c.ok), () => JSON.stringify(calls));
    // Without the refresh the other consumer claimed it mid-wait and ran it too; the first one then ran it a third time.
    const [first] = calls;
    expect(calls).toEqual([
      { consumer: first.consumer, deliveries: 1, ok: false },
      { consumer: first.consumer, deliveries: 2, ok: true },
    ]);
    expect(pendingAtRetry).toEqual([[expect.any(String), first.consumer, expect.any(Number), 2]]);
    await expectNothingPending(key, 'owned');
  });

  it('keeps an entry owned while a handler slower than claimIdleMs runs: the other consumer never runs it too', async () => {
    const key = streamKey(namespace, Streams.Audit);
    const calls: { consumer: string; deliveries: number }[] = [];
    const handle = async (_event: unknown, ctx: { getConsumer(): string; getDeliveries(): number }) => {
      calls.push({ consumer: ctx.getConsumer(), deliveries: ctx.getDeliveries() });
      await new Promise((r) => setTimeout(r, 1_500)); // three times claimIdleMs
    };
    // 'a' reads it and looks for idle entries only every 10 s (its own XAUTOCLAIM would also reset the idle time of what
    // it holds, racing the other's); 'b' starts once 'a' is in the handler and looks every 50 ms.
    const first = await startConsumer(Streams.Audit, handle, { ...base, service: 'slow', consumer: 'a', claimIdleMs: 500, claimIntervalMs: 10_000 });
    apps.push(first.app);
    await publisher.publish(Streams.Audit, audit(1));
    await eventually(() => calls.length > 0, () => JSON.stringify(calls));
    const second = await startConsumer(Streams.Audit, handle, { ...base, service: 'slow', consumer: 'b', claimIdleMs: 500, claimIntervalMs: 50 });
    apps.push(second.app);

    await expectNothingPending(key, 'slow');
    await new Promise((r) => setTimeout(r, 200));
    // Without the refresh 'b' claimed it once idle for 500 ms and ran it a second time.
    expect(calls).toEqual([{ consumer: 'a', deliveries: 1 }]);
  });

  it('leaves a retry to the consumer that took the entry over while it waited', async () => {
    const key = streamKey(namespace, Streams.Audit);
    const calls: number[] = [];
    const failed = deferred();
    const { app, server } = await startConsumer(
      Streams.Audit,
      (_event, ctx) => {
        calls.push(ctx.getDeliveries());
        failed.resolve();
        throw new Error('always fails');
      },
      { ...base, service: 'taken', consumer: 'a', retryBackoffMs: 300 },
    );
    apps.push(app);
    const id = await publisher.publish(Streams.Audit, audit(1));
    await failed.promise;
    // Another consumer takes it over (as XAUTOCLAIM would across a long Redis outage).
    await redis.call('XCLAIM', key, 'taken', 'other', 0, id, 'JUSTID');

    await eventually(() => server.heldCount === 0, () => `${server.heldCount} held`);
    expect(calls).toEqual([1]);
    const pending = (await redis.xpending(key, 'taken', '-', '+', 10)) as [string, string, number, number][];
    expect(pending.map(([entryId, owner]) => [entryId, owner])).toEqual([[id, 'other']]);
  });

  it('re-creates its group when the stream vanishes and goes on', async () => {
    const handled: string[] = [];
    const { app } = await startConsumer(Streams.Risk, (event) => void handled.push(event.id), { ...base, service: 'vanish' });
    apps.push(app);
    const key = streamKey(namespace, Streams.Risk);
    await redis.del(key);
    const breach = createEvent(
      RiskLimitBreached.TYPE,
      {
        breachId: '0190b6a4-5f6e-7c3b-8a2d-000000000009',
        scope: 'global',
        scopeId: null,
        userId: null,
        limitType: 'KILL_SWITCH',
        current: '1',
        limit: '0',
        action: 'HALT',
        state: 'HALTED',
        message: 'operator pulled the kill switch',
        breachedAt: new Date().toISOString(),
      },
      { source: 'risk' },
    );
    // The next blocking read meets NOGROUP, re-creates the group from 0 and sees this event.
    await publisher.publish(Streams.Risk, breach);
    await eventually(() => handled.includes(breach.id), () => `handled ${handled.length}`);
  });

  it('on shutdown finishes in-flight handlers within the timeout, and acks nothing whose effect did not happen', async () => {
    const key = streamKey(namespace, Streams.Trades);
    const effects = new Set<string>();
    const slow = deferred();
    const fast = deferred();
    const started = new Set<string>();
    const trades = Array.from({ length: 12 }, (_, i) =>
      createEvent(
        TradeExecuted.TYPE,
        {
          tradeId: `0190b6a4-5f6e-7c3b-8a2d-0000000001${String(i).padStart(2, '0')}`,
          orderId: '0190b6a4-5f6e-7c3b-8a2d-000000000002',
          botId: null,
          userId: '0190b6a4-5f6e-7c3b-8a2d-1e2f3a4b5c6d',
          exchange: 'paper',
          symbol: 'BTC/USDT',
          side: 'buy',
          mode: 'paper',
          price: '42000',
          quantity: '0.01',
          fee: '0.42',
          feeCurrency: 'USDT',
          realizedPnl: '0',
          executedAt: new Date().toISOString(),
        },
        { source: 'trading-engine' },
      ),
    );
    const consumerOptions = { ...base, service: 'shutdown', consumer: 'shutdown-1', concurrency: 12, shutdownTimeoutMs: 300 };
    const { app } = await startConsumer(
      Streams.Trades,
      async (event) => {
        started.add(event.id);
        // Odd trades outlive the shutdown timeout; even ones finish once shutdown has begun.
        const tradeId = event.type === TradeExecuted.TYPE ? event.payload.tradeId : '';
        await (Number(tradeId.slice(-2)) % 2 === 1 ? slow.promise : fast.promise);
        effects.add(event.id);
      },
      consumerOptions,
    );
    await publisher.publishBatch(Streams.Trades, trades);
    await eventually(() => started.size === 12, () => `${started.size} started`);
    const closing = app.close();
    fast.resolve();
    await closing;

    const pendingRows = (await redis.xpending(key, 'shutdown', '-', '+', 100)) as [string, string, number, number][];
    const pendingEntryIds = new Set(pendingRows.map(([id]) => id));
    const entries = await redis.xrange(key, '-', '+');
    const eventIdOf = new Map(entries.map(([id, fields]) => [id, JSON.parse(fields[1]).id as string]));
    const acked = [...eventIdOf].filter(([entryId, eventId]) => !pendingEntryIds.has(entryId) && trades.some((t) => t.id === eventId));
    expect(acked.length).toBe(6);
    for (const [, eventId] of acked) expect(effects.has(eventId)).toBe(true);
    expect(pendingEntryIds.size).toBe(6);

    // The slow handlers finish after the connection closed: their acks are lost, not faked.
    slow.resolve();
    await eventually(() => effects.size === 12, () => `${effects.size} effects`);
    expect(((await redis.xpending(key, 'shutdown')) as [number])[0]).toBe(6);

    // The same consumer, restarted, re-reads its own pending entries first.
    const redelivered: string[] = [];
    const restarted = await startConsumer(Streams.Trades, (event) => void redelivered.push(event.id), consumerOptions);
    apps.push(restarted.app);
    await eventually(() => redelivered.length === 6, () => `${redelivered.length} redelivered`);
    await expectNothingPending(key, 'shutdown');
  });
});
