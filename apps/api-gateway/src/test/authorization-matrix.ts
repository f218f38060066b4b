import { tickerKey } from '@trading/market-cache';
import { testRedisUrl } from '@trading/testing';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { authenticator } from 'otplib';
import { aUser, GatewayStack, INTERNAL_RPC_TOKEN, TestUser } from './gateway-stack.fixture';

/**
 * Who may call what: for every route of the OpenAPI document (`METHOD /api/v1/path/{param}`), the
 * status each actor gets. The end-to-end matrix reads /docs-json and fails on a route without a row
 * here (and on a row whose route no longer exists), so a new route ships with its access rules.
 *
 * Actors: `anonymous` (no token), `otherUser` (a trader who does not own the resource), `owner`
 * (the trader who owns it), `admin`. Another user's resource answers 404, never 403; admin-only
 * routes answer 403 to non-admins.
 *
 * To add your routes: one entry per route with one or more cases. `request` builds the path (and
 * body) from the context: `ctx.owner` owns the shared fixtures, `ctx.user` is the acting user
 * (null when anonymous). Set `freshUsers` when the call changes the acting account (password, 2FA,
 * logout): every actor then gets a new account for that case.
 */
export type Actor = 'anonymous' | 'otherUser' | 'owner' | 'admin';
export const ACTORS: readonly Actor[] = ['anonymous', 'otherUser', 'owner', 'admin'];

export interface MatrixFixtures {
  readonly stack: GatewayStack;
  readonly owner: TestUser;
  readonly otherUser: TestUser;
  readonly admin: TestUser;
  /** An exchange key stored by `owner`. */
  readonly ownerKeyId: string;
  /** The catalog id of the built-in sma_cross strategy. */
  readonly smaCrossId: string;
  /** A bot and a backtest of `owner`. */
  readonly ownerBotId: string;
  readonly ownerBacktestId: string;
}

export interface MatrixContext extends MatrixFixtures {
  readonly actor: Actor;
  readonly user: TestUser | null;
}

export interface MatrixRequest {
  readonly path: string;
  readonly body?: unknown;
}

export interface MatrixCase {
  readonly name?: string;
  readonly expect: Record<Actor, number>;
  readonly freshUsers?: boolean;
  readonly request: (ctx: MatrixContext) => MatrixRequest | Promise<MatrixRequest>;
}

const everyone = (status: number): Record<Actor, number> => ({ anonymous: status, otherUser: status, owner: status, admin: status });
const signedIn = (status: number): Record<Actor, number> => ({ anonymous: 401, otherUser: status, owner: status, admin: status });
const ownerOrAdmin = (status: number): Record<Actor, number> => ({ anonymous: 401, otherUser: 404, owner: status, admin: status });
const adminOnly = (status: number): Record<Actor, number> => ({ anonymous: 401, otherUser: 403, owner: 403, admin: status });

let serial = 0;
const unique = (label: string) => `${label}-${process.pid}-${Date.now().toString(36)}-${++serial}`;
const self = (ctx: MatrixContext): TestUser => ctx.user ?? ctx.owner;

async function newOwnerKey(ctx: MatrixContext): Promise<string> {
  const res = await ctx.stack.request('POST', '/api/v1/keys', {
    token: ctx.owner.accessToken,
    body: { exchange: 'binance', label: unique('k'), apiKey: 'matrix-api-key-0001', secret: 'matrix-secret-0001', testnet: true },
  });
  return res.body.id;
}

function newBotBody(ctx: MatrixContext): Record<string, unknown> {
  return { strategyId: ctx.smaCrossId, name: unique('bot'), exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h', initialCapital: '1000' };
}

async function newOwnerBot(ctx: MatrixContext, start = false): Promise<string> {
  const res = await ctx.stack.request('POST', '/api/v1/bots', { token: ctx.owner.accessToken, body: newBotBody(ctx) });
  if (start) await ctx.stack.request('POST', `/api/v1/bots/${res.body.id}/start`, { token: ctx.owner.accessToken });
  return res.body.id;
}

async function enrollTotp(ctx: MatrixContext, user: TestUser): Promise<string> {
  const setup = await ctx.stack.request('POST', '/api/v1/auth/2fa/setup', { token: user.accessToken });
  await ctx.stack.request('POST', '/api/v1/auth/2fa/enable', { token: user.accessToken, body: { code: authenticator.generate(setup.body.secret) } });
  return setup.body.secret;
}

/** Risk and analytics learn a bot's owner from the bot's events: wait until they answer the owner for the shared bot. */
const seenBy = new Map<string, Promise<void>>();
function ownerBotSeen(ctx: MatrixContext, path: string): Promise<void> {
  let seen = seenBy.get(path);
  if (!seen) {
    seen = (async () => {
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline) {
        if ((await ctx.stack.request('GET', path, { token: ctx.owner.accessToken })).status === 200) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`${path} never answered the owner with 200`);
    })();
    seenBy.set(path, seen);
  }
  return seen;
}
const riskSeesOwnerBot = (ctx: MatrixContext) => ownerBotSeen(ctx, `/api/v1/risk/state?scope=bot&scopeId=${ctx.ownerBotId}`);
const analyticsSeesOwnerBot = (ctx: MatrixContext) => ownerBotSeen(ctx, `/api/v1/analytics/performance?botId=${ctx.ownerBotId}`);

async function newOwnerLimit(ctx: MatrixContext): Promise<string> {
  await riskSeesOwnerBot(ctx);
  const res = await ctx.stack.request('PUT', '/api/v1/risk/limits', { token: ctx.owner.accessToken, body: { scope: 'bot', scopeId: ctx.ownerBotId, limitType: 'max_trades_per_day', value: '50' } });
  return res.body.id;
}

/** A working limit order of the owner's bot (far below the market: it rests), placed through the gateway. */
async function newOwnerOrder(ctx: MatrixContext): Promise<string> {
  const res = await ctx.stack.request('POST', '/api/v1/orders', { token: ctx.owner.accessToken, body: { botId: ctx.ownerBotId, side: 'buy', type: 'limit', quantity: '0.01', price: '1000' } });
  return res.body.id;
}

/** An open position of the owner's bot: a market buy that fills at the cached ticker. */
async function newOwnerPosition(ctx: MatrixContext): Promise<string> {
  const redis = new Redis(testRedisUrl());
  try {
    await redis.hset(tickerKey(ctx.stack.namespace, 'binance', 'BTC/USDT'), { last: '1000', bid: '1000', ask: '1000', baseVolume: '1', time: '2030-01-01T00:00:00.000Z' });
  } finally {
    redis.disconnect();
  }
  await ctx.stack.request('POST', '/api/v1/orders', { token: ctx.owner.accessToken, body: { botId: ctx.ownerBotId, side: 'buy', type: 'market', quantity: '0.01' } });
  const positions = await ctx.stack.request('GET', `/api/v1/positions?botId=${ctx.ownerBotId}&status=open`, { token: ctx.owner.accessToken });
  return positions.body.items[0].id;
}

export const ROUTE_ACCESS: Record<string, MatrixCase[]> = {
  'POST /api/v1/auth/register': [{ expect: everyone(201), request: () => ({ path: '/api/v1/auth/register', body: { email: `${unique('reg')}@example.com`, password: 'Correct-Horse-Battery-9' } }) }],
  'POST /api/v1/auth/login': [{ expect: everyone(200), request: (ctx) => ({ path: '/api/v1/auth/login', body: { email: self(ctx).email, password: self(ctx).password } }) }],
  'POST /api/v1/auth/refresh': [
    {
      expect: everyone(200),
      request: async (ctx) => {
        const login = await ctx.stack.request('POST', '/api/v1/auth/login', { body: { email: self(ctx).email, password: self(ctx).password } });
        return { path: '/api/v1/auth/refresh', body: { refreshToken: login.body.refreshToken } };
      },
    },
  ],
  'POST /api/v1/auth/logout': [{ expect: signedIn(204), freshUsers: true, request: () => ({ path: '/api/v1/auth/logout' }) }],
  'GET /api/v1/auth/me': [{ expect: signedIn(200), request: () => ({ path: '/api/v1/auth/me' }) }],
  'POST /api/v1/auth/password/change': [
    { expect: signedIn(204), freshUsers: true, request: (ctx) => ({ path: '/api/v1/auth/password/change', body: { currentPassword: self(ctx).password, newPassword: 'Changed-Passw0rd-99' } }) },
  ],
  'POST /api/v1/auth/password/reset-request': [{ expect: everyone(202), request: (ctx) => ({ path: '/api/v1/auth/password/reset-request', body: { email: self(ctx).email } }) }],
  'POST /api/v1/auth/password/reset': [
    {
      expect: everyone(204),
      freshUsers: true,
      request: async (ctx) => {
        const target = ctx.user ?? (await aUser(ctx.stack, { label: 'reset' }));
        const issued = await ctx.stack.rpc().send('auth.passwordReset.request', { email: target.email, origin: { ip: null, userAgent: null }, internalToken: INTERNAL_RPC_TOKEN });
        return { path: '/api/v1/auth/password/reset', body: { token: issued.resetToken, newPassword: 'Reset-Passw0rd-99' } };
      },
    },
  ],
  'POST /api/v1/auth/2fa/setup': [{ expect: signedIn(200), freshUsers: true, request: () => ({ path: '/api/v1/auth/2fa/setup' }) }],
  'POST /api/v1/auth/2fa/enable': [
    {
      expect: signedIn(204),
      freshUsers: true,
      request: async (ctx) => {
        if (!ctx.user) return { path: '/api/v1/auth/2fa/enable', body: { code: '123456' } };
        const setup = await ctx.stack.request('POST', '/api/v1/auth/2fa/setup', { token: ctx.user.accessToken });
        return { path: '/api/v1/auth/2fa/enable', body: { code: authenticator.generate(setup.body.secret) } };
      },
    },
  ],
  'POST /api/v1/auth/2fa/disable': [
    {
      expect: signedIn(204),
      freshUsers: true,
      request: async (ctx) => {
        if (!ctx.user) return { path: '/api/v1/auth/2fa/disable', body: { code: '123456' } };
        const secret = await enrollTotp(ctx, ctx.user);
        // The enrolling code was used; a code is accepted once, so the next step's code disables.
        return { path: '/api/v1/auth/2fa/disable', body: { code: authenticator.clone({ epoch: Date.now() + 30_000 }).generate(secret) } };
      },
    },
  ],
  'POST /api/v1/keys': [
    { expect: signedIn(201), request: () => ({ path: '/api/v1/keys', body: { exchange: 'kraken', label: unique('key'), apiKey: 'matrix-key-123456', secret: 'matrix-secret-123456', testnet: false } }) },
  ],
  'GET /api/v1/keys': [
    { name: 'own keys', expect: signedIn(200), request: () => ({ path: '/api/v1/keys' }) },
    { name: "the owner's keys by userId", expect: ownerOrAdmin(200), request: (ctx) => ({ path: `/api/v1/keys?userId=${ctx.owner.id}` }) },
  ],
  'GET /api/v1/keys/{id}': [{ expect: ownerOrAdmin(200), request: (ctx) => ({ path: `/api/v1/keys/${ctx.ownerKeyId}` }) }],
  'DELETE /api/v1/keys/{id}': [{ expect: ownerOrAdmin(204), request: async (ctx) => ({ path: `/api/v1/keys/${await newOwnerKey(ctx)}` }) }],
  'GET /api/v1/market/pairs': [{ expect: signedIn(200), request: () => ({ path: '/api/v1/market/pairs?exchange=binance' }) }],
  'GET /api/v1/market/tickers': [{ expect: signedIn(200), request: () => ({ path: '/api/v1/market/tickers' }) }],
  'GET /api/v1/market/candles': [
    { expect: signedIn(200), request: () => ({ path: '/api/v1/market/candles?exchange=binance&symbol=BTC/USDT&timeframe=1h&from=2021-01-03T00:00:00Z&to=2021-01-04T00:00:00Z' }) },
  ],
  'GET /api/v1/strategies': [{ expect: signedIn(200), request: () => ({ path: '/api/v1/strategies' }) }],
  'POST /api/v1/bots': [{ expect: signedIn(201), request: (ctx) => ({ path: '/api/v1/bots', body: newBotBody(ctx) }) }],
  'GET /api/v1/bots': [{ expect: signedIn(200), request: () => ({ path: '/api/v1/bots?limit=10' }) }],
  'GET /api/v1/bots/{id}': [{ expect: ownerOrAdmin(200), request: (ctx) => ({ path: `/api/v1/bots/${ctx.ownerBotId}` }) }],
  'PATCH /api/v1/bots/{id}': [{ expect: ownerOrAdmin(200), request: (ctx) => ({ path: `/api/v1/bots/${ctx.ownerBotId}`, body: { maxPositions: 2 } }) }],
  'DELETE /api/v1/bots/{id}': [{ expect: ownerOrAdmin(200), request: async (ctx) => ({ path: `/api/v1/bots/${await newOwnerBot(ctx)}` }) }],
  'POST /api/v1/bots/{id}/start': [{ expect: ownerOrAdmin(200), request: async (ctx) => ({ path: `/api/v1/bots/${await newOwnerBot(ctx)}/start` }) }],
  'POST /api/v1/bots/{id}/stop': [{ expect: ownerOrAdmin(200), request: async (ctx) => ({ path: `/api/v1/bots/${await newOwnerBot(ctx, true)}/stop` }) }],
  'POST /api/v1/bots/{id}/pause': [{ expect: ownerOrAdmin(200), request: async (ctx) => ({ path: `/api/v1/bots/${await newOwnerBot(ctx, true)}/pause` }) }],
  'GET /api/v1/bots/{id}/configurations': [{ expect: ownerOrAdmin(200), request: (ctx) => ({ path: `/api/v1/bots/${ctx.ownerBotId}/configurations` }) }],
  'GET /api/v1/bots/{id}/signals': [{ expect: ownerOrAdmin(200), request: (ctx) => ({ path: `/api/v1/bots/${ctx.ownerBotId}/signals?limit=10` }) }],
  'GET /api/v1/signals': [{ expect: signedIn(200), request: () => ({ path: '/api/v1/signals?limit=10' }) }],
  'POST /api/v1/backtests': [{ expect: signedIn(202), request: (ctx) => ({ path: '/api/v1/backtests', body: { strategyId: ctx.smaCrossId, dataset: 'binance_BTCUSDT_1d_2020' } }) }],
  'GET /api/v1/backtests': [{ expect: signedIn(200), request: () => ({ path: '/api/v1/backtests?limit=10' }) }],
  'GET /api/v1/backtests/{id}': [{ expect: ownerOrAdmin(200), request: (ctx) => ({ path: `/api/v1/backtests/${ctx.ownerBacktestId}` }) }],
  'GET /api/v1/users': [{ expect: adminOnly(200), request: () => ({ path: '/api/v1/users?limit=10' }) }],
  'GET /api/v1/users/{id}': [{ expect: ownerOrAdmin(200), request: (ctx) => ({ path: `/api/v1/users/${ctx.owner.id}` }) }],
  'PATCH /api/v1/users/{id}/role': [
    {
      expect: adminOnly(200),
      request: async (ctx) => ({ path: `/api/v1/users/${(await aUser(ctx.stack, { label: 'demote' })).id}/role`, body: { role: 'viewer' } }),
    },
  ],
  'GET /api/v1/risk/limits': [{ expect: ownerOrAdmin(200), request: async (ctx) => (await riskSeesOwnerBot(ctx), { path: `/api/v1/risk/limits?scope=bot&scopeId=${ctx.ownerBotId}` }) }],
  'PUT /api/v1/risk/limits': [
    { name: 'a bot limit', expect: ownerOrAdmin(200), request: async (ctx) => (await riskSeesOwnerBot(ctx), { path: '/api/v1/risk/limits', body: { scope: 'bot', scopeId: ctx.ownerBotId, limitType: 'max_exposure', value: '5000' } }) },
    { name: 'a global limit', expect: adminOnly(200), request: () => ({ path: '/api/v1/risk/limits', body: { scope: 'global', limitType: 'max_leverage', value: '100' } }) },
  ],
  'DELETE /api/v1/risk/limits/{id}': [{ expect: ownerOrAdmin(200), request: async (ctx) => ({ path: `/api/v1/risk/limits/${await newOwnerLimit(ctx)}` }) }],
  'GET /api/v1/risk/state': [{ expect: ownerOrAdmin(200), request: async (ctx) => (await riskSeesOwnerBot(ctx), { path: `/api/v1/risk/state?scope=bot&scopeId=${ctx.ownerBotId}` }) }],
  'PUT /api/v1/risk/state': [
    { name: 'a bot', expect: ownerOrAdmin(200), request: async (ctx) => (await riskSeesOwnerBot(ctx), { path: '/api/v1/risk/state', body: { scope: 'bot', scopeId: ctx.ownerBotId, state: 'ACTIVE' } }) },
    { name: 'the kill switch', expect: adminOnly(200), request: () => ({ path: '/api/v1/risk/state', body: { scope: 'global', state: 'ACTIVE' } }) },
  ],
  'GET /api/v1/analytics/performance': [{ expect: ownerOrAdmin(200), request: async (ctx) => (await analyticsSeesOwnerBot(ctx), { path: `/api/v1/analytics/performance?botId=${ctx.ownerBotId}` }) }],
  'GET /api/v1/analytics/portfolio': [{ expect: signedIn(200), request: () => ({ path: '/api/v1/analytics/portfolio' }) }],
  'GET /api/v1/analytics/bots/{id}/equity': [{ expect: ownerOrAdmin(200), request: async (ctx) => (await analyticsSeesOwnerBot(ctx), { path: `/api/v1/analytics/bots/${ctx.ownerBotId}/equity` }) }],
  'GET /api/v1/analytics/bots/{id}/daily': [
    { expect: ownerOrAdmin(200), request: async (ctx) => (await analyticsSeesOwnerBot(ctx), { path: `/api/v1/analytics/bots/${ctx.ownerBotId}/daily?from=2026-01-01&to=2026-12-31` }) },
  ],
  'GET /api/v1/analytics/audit': [{ expect: adminOnly(200), request: () => ({ path: '/api/v1/analytics/audit?limit=10' }) }],
  'GET /api/v1/orders': [{ expect: signedIn(200), request: () => ({ path: '/api/v1/orders?limit=10' }) }],
  'POST /api/v1/orders': [{ expect: ownerOrAdmin(201), request: (ctx) => ({ path: '/api/v1/orders', body: { botId: ctx.ownerBotId, side: 'buy', type: 'limit', quantity: '0.01', price: '1000' } }) }],
  'GET /api/v1/orders/{id}': [{ expect: ownerOrAdmin(200), request: async (ctx) => ({ path: `/api/v1/orders/${await newOwnerOrder(ctx)}` }) }],
  'POST /api/v1/orders/{id}/cancel': [{ expect: ownerOrAdmin(200), request: async (ctx) => ({ path: `/api/v1/orders/${await newOwnerOrder(ctx)}/cancel` }) }],
  'GET /api/v1/positions': [{ expect: signedIn(200), request: () => ({ path: '/api/v1/positions?limit=10' }) }],
  'POST /api/v1/positions/{id}/close': [{ expect: ownerOrAdmin(200), request: async (ctx) => ({ path: `/api/v1/positions/${await newOwnerPosition(ctx)}/close` }) }],
  // the shared bot trades on paper: the owner and an admin reach the engine's rule (409 POSITION_NOT_LIVE); the live
  // success path through the gateway is position-adjustment.e2e.int-spec.ts
  'POST /api/v1/positions/{id}/adjust': [
    { expect: ownerOrAdmin(409), request: async (ctx) => ({ path: `/api/v1/positions/${await newOwnerPosition(ctx)}/adjust`, body: { quantity: '0', reason: 'matrix', requestId: randomUUID() } }) },
  ],
  'POST /api/v1/positions/close-all': [{ expect: ownerOrAdmin(200), request: (ctx) => ({ path: '/api/v1/positions/close-all', body: { botId: ctx.ownerBotId } }) }],
  'GET /api/v1/trades': [{ expect: signedIn(200), request: () => ({ path: '/api/v1/trades?limit=10' }) }],
  'GET /api/v1/balances': [{ expect: signedIn(200), request: () => ({ path: '/api/v1/balances' }) }],
};
