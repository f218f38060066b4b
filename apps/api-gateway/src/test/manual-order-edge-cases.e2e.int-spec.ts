import { TickerCache } from '@trading/market-cache';
import { testRedisUrl } from '@trading/testing';
import Redis from 'ioredis';
import { Client } from 'pg';
import { aUser, GatewayStack, HttpResult, TestUser } from './gateway-stack.fixture';

/**
 * The money edge cases of manual orders and closes through the gateway and the built strategy, risk and engine:
 * each is a 4xx with the standard error body, and nothing of any bot changes (no order, no position, no balance,
 * not even the account of a bot that never traded). A paper BTC/USDT bot (lot step 0.00001, tick 0.01, minimum
 * notional 5 USDT, fee 0.1 %, no slippage) that bought 0.01 BTC at 1 000: 1 000 - 10 - 0.01 = 989.99 USDT free.
 */
describe('manual order edge cases through the gateway: a clear 4xx, nothing written', () => {
  let stack: GatewayStack;
  let owner: TestUser;
  let other: TestUser;
  const bots: Record<'traded' | 'fresh' | 'stopped' | 'paused' | 'others', string> = { traded: '', fresh: '', stopped: '', paused: '', others: '' };
  const redis = new Redis(testRedisUrl());
  let pg: Client;

  async function aBot(user: TestUser, name: string, state: 'stopped' | 'running' | 'paused'): Promise<string> {
    const catalog = await stack.request('GET', '/api/v1/strategies', { token: user.accessToken });
    const strategyId = (catalog.body.items as { id: string; strategyType: string }[]).find((x) => x.strategyType === 'sma_cross')!.id;
    const bot = await stack.request('POST', '/api/v1/bots', { token: user.accessToken, body: { strategyId, name, exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h', initialCapital: '1000' } });
    if (bot.status !== 201) throw new Error(`bot not created: ${bot.status} ${bot.text}`);
    for (const command of state === 'stopped' ? [] : state === 'running' ? ['start'] : ['start', 'pause']) {
      const res = await stack.request('POST', `/api/v1/bots/${bot.body.id}/${command}`, { token: user.accessToken });
      if (res.status !== 200) throw new Error(`${command} failed: ${res.status} ${res.text}`);
    }
    return bot.body.id;
  }

  /** market-data's ticker cache, received `ageMs` ago. */
  async function cachePrice(last: string, ageMs: number): Promise<void> {
    const pipeline = redis.pipeline();
    new TickerCache(redis, stack.namespace).writeTo(pipeline, 'binance', 'BTC/USDT', { last, bid: last, ask: last, baseVolume: '1', time: '2026-03-02T00:00:00.000Z' }, Date.now() - ageMs);
    await pipeline.exec();
  }

  /** Everything the engine keeps for both users, as they see it, and its accounts and outbox as stored. */
  async function books(): Promise<unknown> {
    const views: unknown[] = [
      (await pg.query(`SELECT bot_id, cash, paper_snapshot, updated_at FROM trading.bot_accounts ORDER BY bot_id`)).rows,
      (await pg.query(`SELECT count(*)::int AS n FROM trading.outbox`)).rows,
    ];
    for (const user of [owner, other]) {
      for (const route of ['/api/v1/orders?limit=500', '/api/v1/positions?limit=500', '/api/v1/trades?limit=500', '/api/v1/balances']) {
        views.push((await stack.request('GET', route, { token: user.accessToken })).body);
      }
    }
    return views;
  }

  beforeAll(async () => {
    stack = await GatewayStack.start('gw_manual_edges', { strategy: true, risk: true, trading: true });
    pg = new Client({ connectionString: stack.db.url });
    await pg.connect();
    [owner, other] = await Promise.all([aUser(stack, { label: 'owner' }), aUser(stack, { label: 'other' })]);
    bots.traded = await aBot(owner, 'traded', 'running');
    bots.fresh = await aBot(owner, 'never traded', 'running');
    bots.stopped = await aBot(owner, 'stopped', 'stopped');
    bots.paused = await aBot(owner, 'paused', 'paused');
    bots.others = await aBot(other, 'another user’s', 'running');
    await cachePrice('1000', 0);
    const bought = await stack.request('POST', '/api/v1/orders', { token: owner.accessToken, body: { botId: bots.traded, side: 'buy', type: 'market', quantity: '0.01' } });
    if (bought.status !== 201 || bought.body.status !== 'filled') throw new Error(`entry not filled: ${bought.status} ${bought.text}`);
  });

  afterAll(async () => {
    await pg?.end();
    redis.disconnect();
    await stack?.stop();
  });

  const order = (bot: keyof typeof bots, body: Record<string, string>) => ({ method: 'POST', route: '/api/v1/orders', body: { botId: bots[bot], ...body } });

  it.each<[string, () => { method: string; route: string; body: unknown }, number, string, string]>([
    ['a quantity finer than the lot step (never rounded), on a bot that never traded', () => order('fresh', { side: 'buy', type: 'market', quantity: '0.000015' }), 400, 'INVALID_QUANTITY', 'quantity 0.000015 is not a multiple of the lot step 0.00001 of BTC/USDT'],
    // 0.001 x 1 000 = 1 USDT < 5
    ['below the minimum notional', () => order('traded', { side: 'buy', type: 'market', quantity: '0.001' }), 400, 'BELOW_MIN_SIZE', 'notional 1 USDT (0.001 x 1000) is below the minimum 5 USDT of BTC/USDT'],
    ['a limit price finer than the tick (never rounded)', () => order('traded', { side: 'buy', type: 'limit', quantity: '0.01', price: '999.995' }), 400, 'INVALID_PRICE', 'price 999.995 is not a multiple of the tick 0.01 of BTC/USDT'],
    ['a spot sell larger than the position', () => order('traded', { side: 'sell', type: 'market', quantity: '0.01001' }), 409, 'SELL_EXCEEDS_POSITION', 'a spot bot sells at most what it holds: 0.01 BTC free (its position less working sells), asked 0.01001'],
    // 1 x 1 000 x 1.001 = 1 001 > 989.99
    ['a buy costing more than the bot’s free quote, fee included', () => order('traded', { side: 'buy', type: 'market', quantity: '1' }), 409, 'INSUFFICIENT_FUNDS', 'the buy may cost up to 1001 USDT (1 x 1000 with a 0.001 fee); the bot has 989.99 USDT free'],
    // 1 x 999.01 x 1.001 = 999.01 + 0.99901 = 1 000.00901 > 1 000
    ['a limit buy costing more than the bot’s free quote, on a bot that never traded', () => order('fresh', { side: 'buy', type: 'limit', quantity: '1', price: '999.01' }), 409, 'INSUFFICIENT_FUNDS', 'the buy may cost up to 1000.00901 USDT (1 x 999.01 with a 0.001 fee); the bot has 1000 USDT free'],
    ['a stopped bot', () => order('stopped', { side: 'buy', type: 'market', quantity: '0.01' }), 409, 'BOT_NOT_RUNNING', 'bot is stopped: start (or pause) it to place manual orders; its positions can be closed in any state'],
    ['another user’s bot', () => order('others', { side: 'buy', type: 'market', quantity: '0.01' }), 404, 'BOT_NOT_FOUND', 'bot not found'],
    ['closing another user’s bot', () => ({ method: 'POST', route: '/api/v1/positions/close-all', body: { botId: bots.others } }), 404, 'BOT_NOT_FOUND', 'bot not found'],
  ])('%s', async (_name, request, status, error, message) => {
    const before = await books();
    const { method, route, body } = request();
    const res = await stack.request(method, route, { token: owner.accessToken, body });
    expect(res.body).toEqual({ statusCode: status, error, message, requestId: res.headers.get('x-request-id') });
    expect(res.status).toBe(status);
    expect(await books()).toEqual(before);
  });

  it('a paused bot takes manual orders (the strategy stopped acting, the user trades by hand)', async () => {
    const res = await stack.request('POST', '/api/v1/orders', { token: owner.accessToken, body: { botId: bots.paused, side: 'buy', type: 'limit', quantity: '0.01', price: '900' } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ botId: bots.paused, status: 'submitted', price: '900.00000000' });
  });

  it('closing by hand on paper without a price received within 60 s is refused, the position stays open', async () => {
    await cachePrice('1200', 2 * 3_600_000); // the feed stopped 2 h ago
    const [position] = (await stack.request('GET', `/api/v1/positions?botId=${bots.traded}&status=open`, { token: owner.accessToken })).body.items;
    const expectRefused = async (res: HttpResult) => {
      expect(res.body).toEqual({ statusCode: 409, error: 'NO_FRESH_PRICE', message: 'no price newer than 60 s for BTC/USDT', requestId: res.headers.get('x-request-id') });
    };
    const before = await books();
    await expectRefused(await stack.request('POST', `/api/v1/positions/${position.id}/close`, { token: owner.accessToken }));
    await expectRefused(await stack.request('POST', '/api/v1/positions/close-all', { token: owner.accessToken, body: { botId: bots.traded } }));
    await expectRefused(await stack.request('POST', '/api/v1/orders', { token: owner.accessToken, body: { botId: bots.traded, side: 'sell', type: 'market', quantity: '0.01' } }));
    expect(await books()).toEqual(before);
    // a price now: the close fills at it (0.01 x 1 200 = 12 USDT)
    await cachePrice('1200', 0);
    const closed = await stack.request('POST', `/api/v1/positions/${position.id}/close`, { token: owner.accessToken });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ side: 'sell', status: 'filled', averageFillPrice: '1200.00000000', quantity: '0.01000000' });
  });
});
