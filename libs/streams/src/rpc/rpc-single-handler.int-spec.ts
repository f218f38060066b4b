import { Controller, INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Payload } from '@nestjs/microservices';
import { BotsGet, RpcPatterns } from '@trading/contracts';
import { randomBytes, randomUUID } from 'node:crypto';
import { RpcClient } from './rpc.client';
import { RpcHandler } from './rpc-handler.decorator';
import { RpcRedisServer } from './rpc-redis.server';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const namespace = `test:rpc-one:${randomBytes(4).toString('hex')}:`;
const handledBy: string[] = [];

@Controller()
class CountingController {
  private readonly instance = randomUUID();

  @RpcHandler(RpcPatterns.BotsGet)
  get(@Payload() request: BotsGet.Request): BotsGet.Response {
    handledBy.push(this.instance);
    return { id: request.botId, userId: request.userId, name: 'n', strategy: 's', exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h', mode: 'paper', status: 'running' };
  }
}

@Module({ controllers: [CountingController] })
class CountingModule {}

/**
 * Redis pub/sub delivers each request to every instance of a service; a command must still run once.
 * Two instances of one service share a namespace: every request is answered, each handled exactly once.
 */
describe('RPC with several instances of one service', () => {
  const services: INestMicroservice[] = [];
  let rpc: RpcClient;

  beforeAll(async () => {
    for (let i = 0; i < 2; i++) {
      const service = await NestFactory.createMicroservice(CountingModule, { strategy: new RpcRedisServer({ redisUrl, namespace }), logger: false });
      await service.listen();
      services.push(service);
    }
    rpc = new RpcClient({ redisUrl, namespace, defaultTimeoutMs: 5000 });
  });

  afterAll(async () => {
    await rpc?.close();
    for (const s of services) await s.close();
  });

  it('hands each request to exactly one instance', async () => {
    const userId = randomUUID();
    const answers = await Promise.all(Array.from({ length: 200 }, () => rpc.send(RpcPatterns.BotsGet, { userId, botId: randomUUID() })));
    expect(answers).toHaveLength(200);
    expect(handledBy).toHaveLength(200);
  });
});
