import { Controller, INestMicroservice, Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createEvent, isEvent, StreamEventMap, Streams, TradeExecuted } from '@trading/contracts';
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { processedEventsMigrationSql } from '../idempotency/processed-events.migration';
import { runIdempotent } from '../idempotency/run-idempotent';
import { createTestDatabase, TestDatabase } from '../idempotency/test-database.fixture';
import { OnStream } from '../server/on-stream.decorator';
import { RedisStreamsServer } from '../server/redis-streams.server';
import { outboxMigrationSql } from './outbox.migration';
import { OutboxRelay } from './outbox.relay';
import { OutboxWriter } from './outbox.writer';
import { waitUntil } from './private-redis.fixture';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const namespace = `test:outbox-e2e:${randomBytes(4).toString('hex')}:`;
const producerSchema = 'trading_engine';
const consumerSchema = 'risk';

let ds: DataSource;
let deliveries = 0;

@Controller()
class TradesHandler {
  @OnStream(Streams.Trades)
  async onTrade(event: StreamEventMap[typeof Streams.Trades]): Promise<void> {
    if (!isEvent(event, TradeExecuted.TYPE)) return;
    await runIdempotent(ds, { schema: consumerSchema, consumerGroup: 'risk', eventId: event.id }, (m) =>
      m.query(`INSERT INTO ${consumerSchema}.exposure (trade_id, quantity) VALUES ($1, $2)`, [event.payload.tradeId, event.payload.quantity]),
    );
    deliveries++;
  }
}

@Module({ controllers: [TradesHandler] })
class RiskModule {}

describe('outbox -> relay -> Redis stream -> RedisStreamsServer consumer with runIdempotent', () => {
  let db: TestDatabase;
  let relay: OutboxRelay;
  let consumer: INestMicroservice;

  beforeAll(async () => {
    Logger.overrideLogger(['error']);
    db = await createTestDatabase('test_outbox_e2e');
    ds = await db.connect(6);
    await ds.query(`CREATE SCHEMA ${producerSchema}`);
    await ds.query(`CREATE SCHEMA ${consumerSchema}`);
    for (const sql of [...outboxMigrationSql(producerSchema).up, ...processedEventsMigrationSql(consumerSchema).up]) await ds.query(sql);
    await ds.query(`CREATE TABLE ${consumerSchema}.exposure (trade_id UUID PRIMARY KEY, quantity NUMERIC NOT NULL)`);
    relay = new OutboxRelay({ dataSource: ds, schema: producerSchema, redisUrl, namespace, pollIntervalMs: 50 });
    relay.start();
    consumer = await NestFactory.createMicroservice(RiskModule, {
      strategy: new RedisStreamsServer({ redisUrl, namespace, service: 'risk', concurrency: 4, blockMs: 100 }),
      logger: ['error'],
    });
    await consumer.listen();
  });

  afterAll(async () => {
    await consumer?.close();
    await relay?.stop();
    await db?.drop();
    const redis = new Redis(redisUrl);
    const keys = await redis.keys(`${namespace}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('applies each effect exactly once although the relay republishes part of the outbox', async () => {
    const writer = new OutboxWriter({ schema: producerSchema });
    const n = 300;
    const events = Array.from({ length: n }, (_, i) =>
      createEvent(
        TradeExecuted.TYPE,
        {
          tradeId: uuidv7(),
          orderId: uuidv7(),
          botId: uuidv7(),
          userId: uuidv7(),
          exchange: 'binance',
          symbol: 'ETH/USDT',
          side: i % 2 === 0 ? 'buy' : 'sell',
          mode: 'paper',
          price: '3000.25',
          quantity: `${i + 1}.5`,
          fee: '0.3',
          feeCurrency: 'USDT',
          realizedPnl: '0',
          executedAt: new Date().toISOString(),
        },
        { source: 'trading-engine' },
      ),
    );
    for (let i = 0; i < n; i += 25) {
      await ds.transaction((m) => writer.add(m, Streams.Trades, events.slice(i, i + 25)));
    }
    await waitUntil('every event is handled once', async () => deliveries >= n);

    // A crash between XADD and marking the rows published: the relay sends them again.
    const republished = 60;
    await ds.query(
      `UPDATE ${producerSchema}.outbox SET published_at = NULL WHERE id IN (SELECT id FROM ${producerSchema}.outbox ORDER BY id LIMIT $1)`,
      [republished],
    );
    await waitUntil('the republished events are delivered again', async () => deliveries >= n + republished);

    const rows = await ds.query(`SELECT count(*)::int AS n, sum(quantity)::text AS total FROM ${consumerSchema}.exposure`);
    // sum of (i + 1.5) for i = 0..299 = 299*300/2 + 300*1.5 = 44850 + 450
    expect(rows[0]).toEqual({ n, total: '45300.0' });
    const processed = await ds.query(`SELECT count(*)::int AS n FROM ${consumerSchema}.processed_events`);
    expect(processed[0].n).toBe(n);
  });
});
