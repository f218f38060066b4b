import { BadRequestException, NotFoundException } from '@nestjs/common';
import { BotsGet, BotsList, RpcPatterns } from '@trading/contracts';
import { RpcDomainError } from './errors/rpc-domain.error';
import { RpcRemoteError } from './errors/rpc-remote.error';
import { RpcTimeoutError } from './errors/rpc-timeout.error';
import { RpcUnavailableError } from './errors/rpc-unavailable.error';
import { RpcClient, toRpcClientError } from './rpc.client';
import { toHttpErrorBody } from './rpc-error-http.filter';
import { RpcExceptionFilter } from './rpc-exception.filter';
import { RpcHandler } from './rpc-handler.decorator';

describe('RPC error mapping', () => {
  describe('service side (RpcExceptionFilter)', () => {
    const filter = new RpcExceptionFilter();

    it('keeps a domain error status, code and details', () => {
      expect(filter.toBody(new RpcDomainError(409, 'BOT_ALREADY_RUNNING', 'Bot is running', { botId: 'b1' }))).toEqual({
        status: 409,
        code: 'BOT_ALREADY_RUNNING',
        message: 'Bot is running',
        details: { botId: 'b1' },
      });
    });

    it('maps HttpExceptions by status, with validation messages as details', () => {
      expect(filter.toBody(new BadRequestException(['a must be a string']))).toEqual({
        status: 400,
        code: 'BAD_REQUEST',
        message: 'Invalid request',
        details: ['a must be a string'],
      });
      expect(filter.toBody(new NotFoundException('no such bot'))).toEqual({ status: 404, code: 'NOT_FOUND', message: 'no such bot' });
    });

    it('uses the service mapper for its own domain errors', () => {
      class InsufficientBalanceError extends Error {}
      const mapped = new RpcExceptionFilter((e) =>
        e instanceof InsufficientBalanceError ? { status: 422, code: 'INSUFFICIENT_BALANCE', message: e.message } : undefined,
      );
      expect(mapped.toBody(new InsufficientBalanceError('need 10 USDT'))).toEqual({
        status: 422,
        code: 'INSUFFICIENT_BALANCE',
        message: 'need 10 USDT',
      });
    });

    it('hides unknown errors behind a 500', () => {
      const quiet = new RpcExceptionFilter();
      (quiet as unknown as { logger: { error(): void } }).logger = { error: () => undefined };
      expect(quiet.toBody(new TypeError('cannot read x of undefined'))).toEqual({ status: 500, code: 'INTERNAL', message: 'Internal error' });
    });

    it('refuses a non-error status for a domain error', () => {
      expect(() => new RpcDomainError(200, 'OK', 'fine')).toThrow('HTTP error status');
    });
  });

  describe('client side (toRpcClientError)', () => {
    it('turns an error body into an RpcRemoteError with its status', () => {
      const err = toRpcClientError('bots.get', { status: 404, code: 'BOT_NOT_FOUND', message: 'gone' });
      expect(err).toBeInstanceOf(RpcRemoteError);
      expect(err).toMatchObject({ status: 404, code: 'BOT_NOT_FOUND', message: 'gone', pattern: 'bots.get' });
    });

    it('treats transport failures as unavailable', () => {
      expect(toRpcClientError('bots.get', new Error('connect ECONNREFUSED'))).toBeInstanceOf(RpcUnavailableError);
      expect(toRpcClientError('bots.get', 'Error: Connection lost. Trying to reconnect...')).toBeInstanceOf(RpcUnavailableError);
    });

    it("maps Nest's default error packet to a 500 remote error", () => {
      expect(toRpcClientError('bots.get', { status: 'error', message: 'Internal server error' })).toMatchObject({
        status: 500,
        code: 'REMOTE_ERROR',
      });
    });
  });

  describe('gateway side (toHttpErrorBody)', () => {
    it('answers remote errors with their status, timeouts with 504 and undeliverable requests with 503', () => {
      expect(toHttpErrorBody(new RpcRemoteError('bots.get', { status: 404, code: 'BOT_NOT_FOUND', message: 'gone' }), 'r1')).toEqual({
        statusCode: 404,
        error: 'BOT_NOT_FOUND',
        message: 'gone',
        requestId: 'r1',
      });
      expect(toHttpErrorBody(new RpcTimeoutError('bots.list', 200), 'r2')).toMatchObject({ statusCode: 504, requestId: 'r2' });
      expect(toHttpErrorBody(new RpcUnavailableError('bots.list', 'down'), 'r3')).toMatchObject({ statusCode: 503, requestId: 'r3' });
    });
  });
});

// Compile-time checks (tsc): requests and responses are typed by RpcMap.
export async function rpcTypeChecks(rpc: RpcClient): Promise<void> {
  const bot = await rpc.send('bots.get', { userId: 'u', botId: 'b' });
  const symbol: string = bot.symbol;
  // @ts-expect-error botId is missing
  await rpc.send('bots.get', { userId: 'u' });
  // @ts-expect-error not a pattern of RpcMap
  await rpc.send('bots.delete', { userId: 'u' });
  const check = await rpc.send('risk.preTradeCheck', {
    botId: 'b',
    userId: 'u',
    exchange: 'binance',
    symbol: 'BTC/USDT',
    side: 'buy',
    orderType: 'market',
    quantity: '1',
    price: '2',
  });
  // @ts-expect-error a pre-trade check answers approved/reasons, not a bot
  void check.symbol;
  void symbol;
}

export class RpcHandlerTypeChecks {
  @RpcHandler(RpcPatterns.BotsList)
  list(_request: BotsList.Request): BotsList.Response {
    return { items: [] };
  }

  // @ts-expect-error the bots.get handler must answer a bot, not a list
  @RpcHandler(RpcPatterns.BotsGet)
  get(_request: BotsGet.Request): BotsList.Response {
    return { items: [] };
  }
}
