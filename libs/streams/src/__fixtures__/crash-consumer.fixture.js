'use strict';
// Child process of crash-recovery.int-spec.ts: a Nest microservice built from dist/ that
// consumes events:audit and records each handled event id in a Redis set (its "effect")
// before the transport acks. The test kills it with SIGKILL at a moment of its choosing.
const path = require('node:path');
const root = path.resolve(__dirname, '../../../..');
require('reflect-metadata');
const { NestFactory } = require('@nestjs/core');
const { Controller, Module } = require('@nestjs/common');
const Redis = require('ioredis');
const { RedisStreamsServer, OnStream } = require(path.join(root, 'dist/libs/streams/src/index.js'));
const { Streams } = require(path.join(root, 'dist/libs/contracts/src/index.js'));

const { REDIS_URL, NAMESPACE, CONSUMER, CLAIM_IDLE_MS } = process.env;
const effects = new Redis(REDIS_URL, { enableAutoPipelining: true });

class AuditHandler {
  async on(event) {
    await effects.multi().sadd(`${NAMESPACE}handled`, event.id).incr(`${NAMESPACE}handled-count`).exec();
  }
}
const descriptor = Object.getOwnPropertyDescriptor(AuditHandler.prototype, 'on');
Object.defineProperty(AuditHandler.prototype, 'on', Reflect.decorate([OnStream(Streams.Audit)], AuditHandler.prototype, 'on', descriptor));
Reflect.decorate([Controller()], AuditHandler);
class CrashConsumerModule {}
Reflect.decorate([Module({ controllers: [AuditHandler] })], CrashConsumerModule);

async function main() {
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
