import { TickerCache } from '@trading/market-cache';
import { testRedisUrl } from '@trading/testing';
import Redis from 'ioredis';
import { aUser, GatewayStack, TestUser } from './gateway-stack.fixture';

/**
 * A paper bot's manual market order through the gateway when market data has stopped: the engine's domain error
 * (409 NO_FRESH_PRICE) reaches the client as the standard error body; once a price arrives, the order fills.
 */
describe('manual market order without a current price, through the gateway and the built engine', () => {
  let stack: GatewayStack;
  let owner: TestUser;
  let botId: string;
  const redis = new Redis(testRedisUrl());

  beforeAll(async () => {
    stack = await GatewayStack.start('gw_manual_price', { strategy: true, risk: true, trading: true });
    owner = await aUser(stack, { label: 'owner' });
    const catalog = await stack.request('GET', '/api/v1/strategies', { token: owner.accessToken });
    const smaCrossId = (catalog.body.items as { id: string; strategyType: string }[]).find((x) => x.strategyType === 'sma_cross')!.id;
    const bot = await stack.request('POST', '/api/v1/bots', { token: owner.accessToken, body: { strategyId: smaCrossId, name: 'manual price', exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h', initialCapital: '1000' } });
    if (bot.status !== 201) throw new Error(`bot not created: ${bot.status} ${bot.text}`);
    botId = bot.body.id;
    // manual orders need a running (or paused) bot
    const started = await stack.request('POST', `/api/v1/bots/${botId}/start`, { token: owner.accessToken });
    if (started.status !== 200) throw new Error(`bot not started: ${started.status} ${started.text}`);
  });

  afterAll(async () => {
    redis.disconnect();
    await stack?.stop();
  });

  const marketBuy = () => stack.request('POST', '/api/v1/orders', { token: owner.accessToken, body: { botId, side: 'buy', type: 'market', quantity: '0.01' } });

  it('answers 409 NO_FRESH_PRICE with the standard error body while no price arrived within the limit', async () => {
    const refused = await marketBuy();
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual({
      statusCode: 409,
      error: 'NO_FRESH_PRICE',
      message: 'no price newer than 60 s for BTC/USDT',
      requestId: refused.headers.get('x-request-id'),
    });

    // the last ticker of a replay that stopped 2 h ago is no better
    const tickers = new TickerCache(redis, stack.namespace);
    const stale = redis.pipeline();
    tickers.writeTo(stale, 'binance', 'BTC/USDT', { last: '1000', bid: '1000', ask: '1000', baseVolume: '1', time: '2021-01-03T23:59:00.000Z' }, Date.now() - 2 * 3_600_000);
    await stale.exec();
    expect((await marketBuy()).body).toMatchObject({ statusCode: 409, error: 'NO_FRESH_PRICE' });
    const orders = await stack.request('GET', `/api/v1/orders?botId=${botId}`, { token: owner.accessToken });
    expect(orders.body.items).toEqual([]);
  });

  it('fills once market-data cached a price just now (a running replay: historical exchange time, current receipt)', async () => {
    const tickers = new TickerCache(redis, stack.namespace);
    const fresh = redis.pipeline();
    tickers.writeTo(fresh, 'binance', 'BTC/USDT', { last: '1000', bid: '1000', ask: '1000', baseVolume: '1', time: '2021-01-04T00:00:00.000Z' });
    await fresh.exec();
    const placed = await marketBuy();
    // 0.01 x 1 000 = 10 USDT, paper fee 0.1 % = 0.01
    expect(placed.status).toBe(201);
    expect(placed.body).toMatchObject({ botId, type: 'market', status: 'filled', averageFillPrice: '1000.00000000', fees: '0.01000000' });
  });
});
