import { LoopbackBinance, startLoopbackBinance, testRedisUrl } from '@trading/testing';
import Redis from 'ioredis';
import { randomBytes, randomUUID } from 'node:crypto';
import { aUser, GatewayStack, INTERNAL_RPC_TOKEN, TestUser } from './gateway-stack.fixture';

const API_KEY = `GwAdjustKey${randomBytes(12).toString('hex')}`;
const SECRET = `GwAdjustSecret${randomBytes(16).toString('hex')}`;

/**
 * POST /api/v1/positions/:id/adjust through the built gateway, auth, strategy, risk and engine, with a live bot
 * trading on the loopback Binance (real ccxt, signatures checked): the owner buys 0.01 BTC at 40 000 (0.00999 held
 * after Binance's 0.1 % commission in BTC), then sets the position to what the exchange holds.
 */
describe('POST /api/v1/positions/:id/adjust through the gateway (live bot on the loopback Binance)', () => {
  let server: LoopbackBinance;
  let stack: GatewayStack;
  let owner: TestUser;
  let other: TestUser;
  let admin: TestUser;
  let positionId: string;
  const redis = new Redis(testRedisUrl());

  const adjust = (token: string | undefined, body: Record<string, unknown>, id = positionId) =>
    stack.request('POST', `/api/v1/positions/${id}/adjust`, { token, body });

  beforeAll(async () => {
    server = await startLoopbackBinance({
      apiKey: API_KEY,
      secret: SECRET,
      balances: { USDT: '10000' },
      prices: { BTCUSDT: '40000' },
    });
    stack = await GatewayStack.start('gw_adjust', {
      strategy: true,
      risk: true,
      trading: true,
      tradingEnv: {
        INTERNAL_RPC_TOKEN,
        EXCHANGE_OVERRIDES: JSON.stringify({ binance: server.ccxtOverrides }),
        EXCHANGE_TIMEOUT_MS: '2000',
        BALANCE_RECONCILE_INTERVAL_MS: '0',
      },
    });
    [owner, other, admin] = await Promise.all([
      aUser(stack, { label: 'owner' }),
      aUser(stack, { label: 'other' }),
      aUser(stack, { admin: true }),
    ]);
    const key = await stack.request('POST', '/api/v1/keys', {
      token: owner.accessToken,
      body: { exchange: 'binance', label: 'live', apiKey: API_KEY, secret: SECRET, testnet: false },
    });
    if (key.status !== 201) throw new Error(`key not stored: ${key.status} ${key.text}`);
    const catalog = await stack.request('GET', '/api/v1/strategies', { token: owner.accessToken });
    const strategyId = (catalog.body.items as { id: string; strategyType: string }[]).find(
      (x) => x.strategyType === 'sma_cross',
    )!.id;
    const bot = await stack.request('POST', '/api/v1/bots', {
      token: owner.accessToken,
      body: {
        strategyId,
        name: 'live adjust',
        exchange: 'binance',
        symbol: 'BTC/USDT',
        timeframe: '1h',
        initialCapital: '1000',
        mode: 'live',
        apiKeyId: key.body.id,
      },
    });
    if (bot.status !== 201) throw new Error(`bot not created: ${bot.status} ${bot.text}`);
    await stack.request('POST', `/api/v1/bots/${bot.body.id}/start`, { token: owner.accessToken });
    const bought = await stack.request('POST', '/api/v1/orders', {
      token: owner.accessToken,
      body: { botId: bot.body.id, side: 'buy', type: 'market', quantity: '0.01' },
    });
    if (bought.status !== 201 || bought.body.status !== 'filled')
      throw new Error(`entry not filled: ${bought.status} ${bought.text}`);
    const open = await stack.request('GET', `/api/v1/positions?botId=${bot.body.id}&status=open`, {
      token: owner.accessToken,
    });
    positionId = open.body.items[0].id;
    // 0.00499 BTC withdrawn by hand: the exchange holds 0.005
    server.state.setBalance('BTC', '0.005');
  }, 120_000);

  afterAll(async () => {
    redis.disconnect();
    await stack?.stop();
    await server?.stop();
  }, 30_000);

  it('anonymous 401, another user 404 (never 403), a malformed body 400: nothing booked', async () => {
    const body = { quantity: '0.005', reason: 'withdrawn', requestId: randomUUID() };
    expect((await adjust(undefined, body)).status).toBe(401);
    const hidden = await adjust(other.accessToken, body);
    expect(hidden.body).toEqual({
      statusCode: 404,
      error: 'POSITION_NOT_FOUND',
      message: 'position not found',
      requestId: hidden.headers.get('x-request-id'),
    });
    expect((await adjust(owner.accessToken, { ...body, quantity: '-0.001' })).status).toBe(400);
    expect((await adjust(owner.accessToken, { ...body, requestId: 'retry-1' })).status).toBe(400);
    const offStep = await adjust(owner.accessToken, { ...body, quantity: '0.0049995' });
    expect(offStep.body).toMatchObject({ statusCode: 400, error: 'INVALID_QUANTITY' });
    const position = await stack.request('GET', `/api/v1/positions?status=open`, { token: owner.accessToken });
    expect(position.body.items).toMatchObject([{ id: positionId, size: '0.00999000' }]);
  });

  it('the owner sets the position to what the exchange holds (200); a retry answers the same adjustment', async () => {
    const body = { quantity: '0.005', reason: 'withdrawn 0.00499 BTC to a cold wallet', requestId: randomUUID() };
    const res = await adjust(owner.accessToken, body);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      requestId: body.requestId,
      positionId,
      userId: owner.id,
      actorUserId: owner.id,
      fromQuantity: '0.00999',
      toQuantity: '0.005',
      removedQuantity: '0.00499',
      reason: body.reason,
      replayed: false,
      position: { id: positionId, status: 'open', size: '0.00500000' },
    });
    const retry = await adjust(owner.accessToken, body);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual({ ...res.body, replayed: true });
    const balances = await stack.request('GET', '/api/v1/balances', { token: owner.accessToken });
    expect(balances.body.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ currency: 'BTC', free: '0.00500000' })]),
    );
  });

  it('an admin may adjust any user’s position; the audit record names the admin, the reason and the request’s origin', async () => {
    const body = { quantity: '0', reason: 'account emptied by the user', requestId: randomUUID() };
    const res = await adjust(admin.accessToken, body);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      actorUserId: admin.id,
      userId: owner.id,
      toQuantity: '0',
      position: { status: 'closed' },
    });
    const entries = await redis.xrange(`${stack.namespace}events:audit`, '-', '+');
    const adjusted = entries
      .map(
        ([, fields]) =>
          JSON.parse(fields[1]!) as {
            payload: { action: string; actorUserId: string; ip: string | null; details: Record<string, unknown> };
          },
      )
      .filter((e) => e.payload.action === 'trading.position_adjusted');
    expect(adjusted.map((e) => [e.payload.actorUserId, e.payload.details['reason']])).toEqual([
      [owner.id, 'withdrawn 0.00499 BTC to a cold wallet'],
      [admin.id, 'account emptied by the user'],
    ]);
    expect(adjusted[1]!.payload.ip).toEqual(expect.any(String));
    // a closed position is no longer adjustable
    const again = await adjust(owner.accessToken, { ...body, requestId: randomUUID() });
    expect(again.body).toMatchObject({ statusCode: 409, error: 'POSITION_NOT_OPEN' });
    expect(stack.logs()).not.toContain(SECRET);
  });
});
