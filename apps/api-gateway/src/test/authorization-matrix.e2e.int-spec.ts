import { ACTORS, Actor, MatrixCase, MatrixContext, MatrixFixtures, ROUTE_ACCESS } from './authorization-matrix';
import { aUser, GatewayStack, HttpResult, TestUser } from './gateway-stack.fixture';

const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const BODY_LIMIT = 4096;

interface OpenApiDoc {
  paths: Record<string, Partial<Record<(typeof HTTP_METHODS)[number], { requestBody?: { content: Record<string, { schema: { $ref?: string } }> }; parameters?: Array<{ in: string; name: string; schema?: { type?: string } }> }>>>;
  components: { schemas: Record<string, { properties?: Record<string, { type?: string; example?: unknown; enum?: unknown[] }>; required?: string[] }> };
}

function expectErrorBody(res: HttpResult, what: string): void {
  expect({ what, status: res.status, body: res.body }).toMatchObject({
    what,
    body: { statusCode: res.status, error: expect.any(String), message: expect.any(String), requestId: expect.any(String) },
  });
}

describe('authorization matrix and malformed requests over every documented route', () => {
  let stack: GatewayStack;
  let fixtures: MatrixFixtures;
  let doc: OpenApiDoc;
  let routes: string[];

  beforeAll(async () => {
    stack = await GatewayStack.start('gw_matrix', { gatewayEnv: { BODY_LIMIT_BYTES: String(BODY_LIMIT), CORS_ORIGINS: 'https://dash.example.com' }, strategy: true, risk: true, analytics: true, trading: true, market: true });
    const [owner, otherUser, admin] = await Promise.all([aUser(stack, { label: 'owner' }), aUser(stack, { label: 'other' }), aUser(stack, { admin: true })]);
    const key = await stack.request('POST', '/api/v1/keys', { token: owner.accessToken, body: { exchange: 'binance', label: 'matrix', apiKey: 'owner-api-key-0001', secret: 'owner-secret-0001', testnet: false } });
    const catalog = await stack.request('GET', '/api/v1/strategies', { token: owner.accessToken });
    const smaCrossId = (catalog.body.items as { id: string; strategyType: string }[]).find((x) => x.strategyType === 'sma_cross')!.id;
    const bot = await stack.request('POST', '/api/v1/bots', { token: owner.accessToken, body: { strategyId: smaCrossId, name: 'matrix', exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h', initialCapital: '1000' } });
    // manual orders (the order and position rows below) need a running bot
    await stack.request('POST', `/api/v1/bots/${bot.body.id}/start`, { token: owner.accessToken });
    const backtest = await stack.request('POST', '/api/v1/backtests', { token: owner.accessToken, body: { strategyId: smaCrossId, dataset: 'binance_BTCUSDT_1d_2020' } });
    fixtures = { stack, owner, otherUser, admin, ownerKeyId: key.body.id, smaCrossId, ownerBotId: bot.body.id, ownerBacktestId: backtest.body.id };
    doc = (await stack.request('GET', '/docs-json')).body;
    routes = Object.entries(doc.paths).flatMap(([path, ops]) => HTTP_METHODS.filter((m) => ops[m]).map((m) => `${m.toUpperCase()} ${path}`));
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('documents every route under /api/v1 with examples, and has an access row for each (and no stale row)', () => {
    expect(routes.length).toBeGreaterThanOrEqual(15);
    expect(routes.every((r) => r.split(' ')[1].startsWith('/api/v1/'))).toBe(true);
    expect(routes.filter((r) => !ROUTE_ACCESS[r])).toEqual([]);
    expect(Object.keys(ROUTE_ACCESS).filter((r) => !routes.includes(r))).toEqual([]);
    const withoutExample = Object.entries(doc.components.schemas).flatMap(([name, schema]) =>
      Object.entries(schema.properties ?? {})
        .filter(([, p]) => p.example === undefined && !('$ref' in p) && p.type !== 'array' && !('allOf' in p))
        .map(([prop]) => `${name}.${prop}`),
    );
    expect(withoutExample).toEqual([]);
  });

  it('answers every route x {anonymous, another user, owner, admin} as specified', async () => {
    const actual: Record<string, Record<Actor, number>> = {};
    const expected: Record<string, Record<Actor, number>> = {};
    for (const route of Object.keys(ROUTE_ACCESS)) {
      const [method] = route.split(' ');
      for (const matrixCase of ROUTE_ACCESS[route]) {
        const label = matrixCase.name ? `${route} (${matrixCase.name})` : route;
        expected[label] = matrixCase.expect;
        actual[label] = {} as Record<Actor, number>;
        for (const actor of ACTORS) {
          const res = await run(method, matrixCase, actor);
          actual[label][actor] = res.status;
          if (res.status >= 400) expectErrorBody(res, `${label} as ${actor}`);
        }
      }
    }
    expect(actual).toEqual(expected);
  });

  async function actingUser(actor: Actor, fresh: boolean): Promise<TestUser | null> {
    if (actor === 'anonymous') return null;
    if (!fresh) return actor === 'owner' ? fixtures.owner : actor === 'otherUser' ? fixtures.otherUser : fixtures.admin;
    return aUser(stack, { admin: actor === 'admin', label: actor });
  }

  async function run(method: string, matrixCase: MatrixCase, actor: Actor): Promise<HttpResult> {
    const user = await actingUser(actor, matrixCase.freshUsers === true);
    const ctx: MatrixContext = { ...fixtures, actor, user };
    const request = await matrixCase.request(ctx);
    return stack.request(method, request.path, { token: user?.accessToken, body: request.body });
  }

  describe('a corpus of malformed requests gets a 4xx with the error body, never a 5xx', () => {
    const INJECTIONS = ["' OR '1'='1' --", '"; DROP TABLE auth.users; --', '<script>alert(1)</script>', '${jndi:ldap://x/a}', '../../../../etc/passwd', '\u0000\u202e', '{"$gt":""}'];

    function sampleBody(route: string): Record<string, unknown> | null {
      const [method, path] = route.split(' ');
      const ref = doc.paths[path][method.toLowerCase() as (typeof HTTP_METHODS)[number]]?.requestBody?.content['application/json']?.schema.$ref;
      if (!ref) return null;
      const schema = doc.components.schemas[ref.split('/').pop()!];
      return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([name, p]) => [name, p.example]));
    }

    /** A valid request of the route, made by an admin (a fresh one when the route changes the acting account). */
    async function validRequest(route: string): Promise<{ method: string; path: string; body: Record<string, unknown> | null; token: string }> {
      const [method] = route.split(' ');
      const matrixCase = ROUTE_ACCESS[route][0];
      const admin = matrixCase.freshUsers ? await aUser(stack, { admin: true, label: 'corpus' }) : fixtures.admin;
      const request = await matrixCase.request({ ...fixtures, actor: 'admin', user: admin });
      const body = request.body && typeof request.body === 'object' ? (request.body as Record<string, unknown>) : sampleBody(route);
      return { method, path: request.path, body, token: admin.accessToken };
    }

    /** The corpus must reach validation: the caller's token still works afterwards (no vacuous 401s). */
    async function stillSignedIn(token: string, route: string, failures: string[]): Promise<void> {
      const me = await stack.request('GET', '/api/v1/auth/me', { token });
      if (me.status !== 200) failures.push(`${route}: the corpus ended the caller's session (${me.status})`);
    }

    function mutations(body: Record<string, unknown>): Array<{ what: string; body: unknown; always4xx: boolean }> {
      const out: Array<{ what: string; body: unknown; always4xx: boolean }> = [{ what: 'extra field', body: { ...body, isAdmin: true }, always4xx: true }];
      for (const [field, value] of Object.entries(body)) {
        const { [field]: _omitted, ...missing } = body;
        out.push({ what: `${field} missing`, body: missing, always4xx: true });
        const wrongType = typeof value === 'string' ? 12345 : typeof value === 'number' ? 'twelve' : typeof value === 'boolean' ? 'yes' : 'x';
        out.push({ what: `${field} wrong type`, body: { ...body, [field]: wrongType }, always4xx: true });
        out.push({ what: `${field} object`, body: { ...body, [field]: { $gt: '' } }, always4xx: true });
        out.push({ what: `${field} array`, body: { ...body, [field]: [value, value] }, always4xx: true });
        out.push({ what: `${field} null`, body: { ...body, [field]: null }, always4xx: true });
        out.push({ what: `${field} huge number`, body: { ...body, [field]: 1e308 }, always4xx: true });
        out.push({ what: `${field} negative quantity`, body: { ...body, [field]: -1 }, always4xx: true });
        out.push({ what: `${field} long string`, body: { ...body, [field]: 'a'.repeat(2000) }, always4xx: false });
        for (const injection of INJECTIONS) out.push({ what: `${field} injection ${JSON.stringify(injection)}`, body: { ...body, [field]: injection }, always4xx: false });
      }
      return out;
    }

    it('bodies: invalid JSON, non-objects, oversized, and field-by-field corruption', async () => {
      const failures: string[] = [];
      const check = (res: HttpResult, what: string, always4xx: boolean) => {
        if (res.status >= 500) failures.push(`${what}: ${res.status} ${res.text.slice(0, 200)}`);
        else if (always4xx && (res.status < 400 || res.status >= 500)) failures.push(`${what}: expected 4xx, got ${res.status}`);
        if (res.status >= 400) {
          const b = res.body as Record<string, unknown> | undefined;
          if (!b || b.statusCode !== res.status || typeof b.error !== 'string' || typeof b.message !== 'string' || typeof b.requestId !== 'string') failures.push(`${what}: bad error body ${res.text.slice(0, 200)}`);
          if (/at \w+ \(|node_modules|\.ts:\d+/.test(res.text)) failures.push(`${what}: leaks a stack trace`);
        }
      };
      for (const route of routes) {
        const { method, path, body, token } = await validRequest(route);
        if (!body || method === 'GET' || method === 'DELETE') continue;
        for (const raw of ['{"email": "a@b.c",', '{bad json}', 'null', '[]', '"string"', '12', 'true']) {
          check(await stack.request(method, path, { token, rawBody: raw }), `${route} raw ${raw}`, true);
        }
        check(await stack.request(method, path, { token, rawBody: JSON.stringify({ ...body, padding: 'x'.repeat(BODY_LIMIT + 1) }) }), `${route} oversized`, true);
        check(await stack.request(method, path, { token, rawBody: 'email=a@b.c', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), `${route} form body`, true);
        for (const m of mutations(body)) check(await stack.request(method, path, { token, body: m.body }), `${route} ${m.what}`, m.always4xx);
        await stillSignedIn(token, route, failures);
      }
      expect(failures).toEqual([]);
    });

    it('path parameters and query strings: malformed ids, injections, bad numbers', async () => {
      const failures: string[] = [];
      for (const route of routes) {
        const [method, template] = route.split(' ');
        const params = template.match(/\{\w+\}/g) ?? [];
        if (params.length === 0) continue;
        const { body, token } = await validRequest(route);
        for (const bad of ['not-a-uuid', "1' OR '1'='1", '..%2F..%2Fetc%2Fpasswd', '9'.repeat(400), '-1', '%00', '%zz']) {
          const path = template.replace(/\{\w+\}/g, bad);
          const res = await stack.request(method, path, { token, body: body ?? undefined });
          if (res.status < 400 || res.status >= 500) failures.push(`${method} ${path}: ${res.status}`);
          // A parameter over Fastify's maxParamLength (100) or a malformed %-escape is refused by the router
          // before any route: the runtime's `frameworkErrors` answers those with the same error body.
          else if (res.body?.statusCode !== res.status || typeof res.body?.requestId !== 'string' || typeof res.body?.error !== 'string') failures.push(`${method} ${path}: bad error body`);
        }
      }
      for (const query of ['limit=-1', 'limit=1e308', 'limit=abc', 'limit=0', 'limit=2.5', 'cursor=%27%3B%20DROP', 'unknown=1']) {
        const res = await stack.request('GET', `/api/v1/users?${query}`, { token: fixtures.admin.accessToken });
        if (res.status < 400 || res.status >= 500) failures.push(`GET /api/v1/users?${query}: ${res.status}`);
      }
      for (const query of ['userId=not-a-uuid', "userId=1'%20OR%201=1", 'extra=1']) {
        const res = await stack.request('GET', `/api/v1/keys?${query}`, { token: fixtures.owner.accessToken });
        if (res.status < 400 || res.status >= 500) failures.push(`GET /api/v1/keys?${query}: ${res.status}`);
      }
      expect(failures).toEqual([]);
    });

    it('tokens: malformed, forged and wrongly signed tokens get 401 with the error body', async () => {
      const [header, payload] = fixtures.owner.accessToken.split('.');
      const forgedPayload = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), role: 'admin' })).toString('base64url');
      const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${forgedPayload}.`;
      for (const authorization of ['Bearer', 'Bearer x.y.z', `Basic ${fixtures.owner.accessToken}`, `Bearer ${header}.${forgedPayload}.${fixtures.owner.accessToken.split('.')[2]}`, `Bearer ${none}`]) {
        const res = await stack.request('GET', '/api/v1/users', { headers: { authorization } });
        expect(res.status).toBe(401);
        expectErrorBody(res, authorization);
      }
    });
  });

  it('sends security headers and the request id on every response, and answers unknown routes with the error body', async () => {
    const res = await stack.request('GET', '/api/v1/nope', { headers: { 'x-request-id': 'matrix-req-1' } });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ statusCode: 404, requestId: 'matrix-req-1' });
    expect(res.headers.get('x-request-id')).toBe('matrix-req-1');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    const preflight = { origin: 'https://dash.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' };
    const allowed = await stack.request('OPTIONS', '/api/v1/keys', { headers: preflight });
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://dash.example.com');
    const refused = await stack.request('OPTIONS', '/api/v1/keys', { headers: { ...preflight, origin: 'https://evil.example.com' } });
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    const health = await stack.request('GET', '/health/live');
    expect(health.status).toBe(200);
    const docs = await fetch(`${stack.url()}/docs`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger');
  });
});
