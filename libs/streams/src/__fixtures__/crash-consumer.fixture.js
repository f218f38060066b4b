'use strict';
// Child process of crash-recovery.int-spec.ts: a Nest microservice built from dist/ that
// consumes events:audit. Its effect: a row in PostgreSQL written through runIdempotent (so a
// redelivery changes nothing), then the delivery counted in Redis, before the transport acks.
// The test kills it with SIGKILL at a moment of its choosing.
const path = require('node:path');
const root = path.resolve(__dirname, '../../../..');
require('reflect-metadata');
const { NestFactory } = require('@nestjs/core');
const { Controller, Module } = require('@nestjs/common');
const Redis = require('ioredis');
const { RedisStreamsServer, OnStream, runIdempotent } = require(path.join(root, 'dist/libs/streams/src/index.js'));
const { DataSource } = require('typeorm');
const { Streams } = require(path.join(root, 'dist/libs/contracts/src/index.js'));

const { REDIS_URL, NAMESPACE, CONSUMER, CLAIM_IDLE_MS, DATABASE_URL } = process.env;
const effects = new Redis(REDIS_URL, { enableAutoPipelining: true });
const database = new DataSource({ type: 'postgres', url: DATABASE_URL, poolSize: 16 });

class AuditHandler {
  async on(event) {
    await runIdempotent(database, { schema: 'crash', consumerGroup: 'crash-test', eventId: event.id }, (manager) =>
      manager.query('INSERT INTO crash.effects (event_id) VALUES ($1)', [event.id]),
    );
    await effects.multi().sadd(`${NAMESPACE}handled`, event.id).incr(`${NAMESPACE}handled-count`).exec();
  }
}
const descriptor = Object.getOwnPropertyDescriptor(AuditHandler.prototype, 'on');
Object.defineProperty(AuditHandler.prototype, 'on', Reflect.decorate([OnStream(Streams.Audit)], AuditHandler.prototype, 'on', descriptor));
Reflect.decorate([Controller()], AuditHandler);
class CrashConsumerModule {}
Reflect.decorate([Module({ controllers: [AuditHandler] })], CrashConsumerModule);

async function main() {
  await database.initialize();
  const server = new RedisStreamsServer({
    redisUrl: REDIS_URL,
    namespace: NAMESPACE,
    service: 'crash-test',
    consumer: CONSUMER,
    concurrency: 64,
    blockMs: 200,
    claimIdleMs: Number(CLAIM_IDLE_MS || 60000),
    claimIntervalMs: 100,
  });
  const app = await NestFactory.createMicroservice(CrashConsumerModule, { strategy: server, logger: ['error'] });
  await app.listen();
  process.stdout.write('ready\n');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
