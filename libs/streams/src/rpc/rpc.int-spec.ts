import { Body, Controller, Get, HttpCode, Module, Param, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { INestMicroservice } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { BotsGet, BotsList, RiskPreTradeCheck, RpcPatterns } from '@trading/contracts';
import Redis from 'ioredis';
import { randomBytes, randomUUID } from 'node:crypto';
import { freePort } from '../outbox/private-redis.fixture';
import { RpcDomainError } from './errors/rpc-domain.error';
import { RpcClient } from './rpc.client';
import { RpcClientModule } from './rpc-client.module';
import { RpcErrorHttpFilter } from './rpc-error-http.filter';
import { RpcExceptionFilter } from './rpc-exception.filter';
import { RpcHandler } from './rpc-handler.decorator';
import { RpcRedisServer } from './rpc-redis.server';
import { createRpcValidationPipe } from './rpc-validation.pipe';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const namespace = `test:rpc:${randomBytes(4).toString('hex')}:`;
const userId = randomUUID();
const knownBotId = randomUUID();

const knownBot: BotsGet.Response = {
  id: knownBotId,
  userId,
  name: 'BTC trend',
  strategy: 'ema-cross',
  exchange: 'binance',
  symbol: 'BTC/USDT',
  timeframe: '1h',
  mode: 'paper',
  status: 'running',
};

@Controller()
class BotsRpcController {
  @RpcHandler(RpcPatterns.BotsGet)
  async get(@Payload() request: BotsGet.Request): Promise<BotsGet.Response> {
    if (request.botId !== knownBotId || request.userId !== userId) {
      throw new RpcDomainError(404, 'BOT_NOT_FOUND', `Bot ${request.botId} not found`);
    }
    return knownBot;
  }

  @RpcHandler(RpcPatterns.BotsList)
  list(@Payload() _request: BotsList.Request): Promise<BotsList.Response> {
    return new Promise(() => undefined); // a handler that never answers
  }

  @RpcHandler(RpcPatterns.RiskPreTradeCheck)
  check(@Payload() request: RiskPreTradeCheck.Request): RiskPreTradeCheck.Response {
    expect(request).toBeInstanceOf(RiskPreTradeCheck.Request);
    return { approved: false, reasons: ['MAX_POSITION_SIZE'], tradingState: 'ACTIVE' };
  }
}

@Module({ controllers: [BotsRpcController] })
class BotsServiceModule {}

@Controller()
class GatewayController {
  constructor(private readonly rpc: RpcClient) {}

  @Get('bots/:botId')
  bot(@Param('botId') botId: string): Promise<BotsGet.Response> {
    return this.rpc.send(RpcPatterns.BotsGet, { userId, botId }, { timeoutMs: 5000 });
  }

  @Get('bots')
  bots(): Promise<BotsList.Response> {
    return this.rpc.send(RpcPatterns.BotsList, { userId }, { timeoutMs: 200 });
  }

  @Post('risk/check')
  @HttpCode(200)
  check(@Body() body: RiskPreTradeCheck.Request): Promise<RiskPreTradeCheck.Response> {
    return this.rpc.send(RpcPatterns.RiskPreTradeCheck, body, { timeoutMs: 5000 });
  }
}

@Module({ imports: [RpcClientModule.register({ redisUrl, namespace })], controllers: [GatewayController] })
class GatewayModule {}

describe('RPC between a Fastify gateway and a Nest microservice over Redis', () => {
  let service: INestMicroservice;
  let gateway: NestFastifyApplication;
  let serviceClosed = false;

  beforeAll(async () => {
    service = await NestFactory.createMicroservice(BotsServiceModule, {
      strategy: new RpcRedisServer({ redisUrl, namespace }),
      logger: false,
    });
    service.useGlobalFilters(new RpcExceptionFilter());
    service.useGlobalPipes(createRpcValidationPipe());
    await service.listen();

    gateway = await NestFactory.create<NestFastifyApplication>(GatewayModule, new FastifyAdapter(), { logger: false });
    gateway.useGlobalFilters(new RpcErrorHttpFilter());
    await gateway.init();
    await gateway.getHttpAdapter().getInstance().ready();
  });

  afterAll(async () => {
    await gateway?.close();
    if (!serviceClosed) await service?.close();
  });

  it('answers 200 with the service response', async () => {
    const res = await gateway.inject({ method: 'GET', url: `/bots/${knownBotId}` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(knownBot);
  });

  it("answers a domain error with its status and code, and the caller's request id", async () => {
    const missing = randomUUID();
    const res = await gateway.inject({ method: 'GET', url: `/bots/${missing}`, headers: { 'x-request-id': 'req-42' } });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ statusCode: 404, error: 'BOT_NOT_FOUND', message: `Bot ${missing} not found`, requestId: 'req-42' });
  });

  it('validates the request on the service side: a bad request is a 400 VALIDATION_FAILED with reasons', async () => {
    const res = await gateway.inject({ method: 'GET', url: '/bots/not-a-uuid' });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body).toMatchObject({ statusCode: 400, error: 'VALIDATION_FAILED', message: 'Invalid request' });
    expect(body.details).toEqual(['botId must be a UUID']);
    expect(typeof body.requestId).toBe('string');
  });

  it('rejects a float quantity and passes a valid request to the handler as its class', async () => {
    const order = { botId: knownBotId, userId, exchange: 'binance', symbol: 'BTC/USDT', side: 'buy', orderType: 'limit', price: '64000.5' };
    const bad = await gateway.inject({ method: 'POST', url: '/risk/check', payload: { ...order, quantity: 0.5 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details).toEqual(['quantity must be a positive decimal string (e.g. "42.5")']);

    const good = await gateway.inject({ method: 'POST', url: '/risk/check', payload: { ...order, quantity: '0.5' } });
    expect(good.statusCode).toBe(200);
    expect(good.json()).toEqual({ approved: false, reasons: ['MAX_POSITION_SIZE'], tradingState: 'ACTIVE' });
  });

  it('answers 504 when the handler does not answer within the timeout', async () => {
    const res = await gateway.inject({ method: 'GET', url: '/bots' });
    expect(res.statusCode).toBe(504);
    expect(res.json()).toMatchObject({ statusCode: 504, error: 'GATEWAY_TIMEOUT' });
  });

  it('sends each reply only to the client that asked, on its own channel', async () => {
    const clients = [new RpcClient({ redisUrl, namespace }), new RpcClient({ redisUrl, namespace })];
    const listener = new Redis(redisUrl);
    const replies: string[] = [];
    try {
      await listener.psubscribe(`${namespace}*`);
      listener.on('pmessage', (_pattern: string, channel: string) => {
        if (channel.includes('reply')) replies.push(channel);
      });
      const answers = await Promise.all(clients.flatMap((client) => [1, 2, 3].map(() => client.send(RpcPatterns.BotsGet, { userId, botId: knownBotId }, { timeoutMs: 5000 }))));
      expect(answers).toEqual(Array(6).fill(knownBot));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(replies).toHaveLength(6);
      const channels = [...new Set(replies)];
      expect(channels).toHaveLength(2);
      for (const channel of channels) expect(channel).toMatch(new RegExp(`^${namespace}rpc\\.reply\\.[0-9a-f]{32}$`));
    } finally {
      listener.disconnect();
      await Promise.all(clients.map((client) => client.close()));
    }
  });

  it('does not answer requests of another namespace', async () => {
    const stranger = new RpcClient({ redisUrl, namespace: `${namespace}other:` });
    try {
      await expect(stranger.send(RpcPatterns.BotsGet, { userId, botId: knownBotId }, { timeoutMs: 5000 })).rejects.toMatchObject({
        name: 'RpcUnavailableError',
      });
    } finally {
      await stranger.close();
    }
  });

  it('fails fast with RpcUnavailableError when Redis itself is unreachable', async () => {
    const nowhere = new RpcClient({ redisUrl: `redis://127.0.0.1:${await freePort()}`, namespace });
    try {
      await expect(nowhere.send(RpcPatterns.BotsGet, { userId, botId: knownBotId }, { timeoutMs: 30_000 })).rejects.toMatchObject({
        name: 'RpcUnavailableError',
      });
    } finally {
      await nowhere.close();
    }
  });

  it('answers 503 at once when the service is down', async () => {
    await service.close();
    serviceClosed = true;
    const res = await gateway.inject({ method: 'GET', url: `/bots/${knownBotId}` });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ statusCode: 503, error: 'SERVICE_UNAVAILABLE' });
  });
});
