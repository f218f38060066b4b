import { aUser, GatewayStack, HttpResult, INTERNAL_RPC_TOKEN, STRONG_PASSWORD, uniqueEmail } from './gateway-stack.fixture';

// Small limits so the test reaches them; windows long enough never to reset during the test.
const PER_USER = 8;
const PER_IP = 5;
const PER_ACCOUNT = 3;
const RPC_TIMEOUT_MS = 3000;

function expect429(res: HttpResult): void {
  expect(res.status).toBe(429);
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(res.body).toMatchObject({ statusCode: 429, error: 'TOO_MANY_REQUESTS', requestId: expect.any(String) });
}

describe('rate limits held in Redis across two gateway instances', () => {
  let stack: GatewayStack;
  let ipSerial = 0;
  const nextIp = () => `198.51.100.${++ipSerial}`;

  beforeAll(async () => {
    stack = await GatewayStack.start('gw_rate', {
      gateways: 2,
      // The test client stands for a load balancer on loopback: its X-Forwarded-For is believed.
      gatewayEnv: { TRUST_PROXY: '127.0.0.1', RATE_LIMIT_DEFAULT: `${PER_USER}/600`, RATE_LIMIT_AUTH_IP: `${PER_IP}/600`, RATE_LIMIT_AUTH_ACCOUNT: `${PER_ACCOUNT}/600`, RPC_TIMEOUT_MS: String(RPC_TIMEOUT_MS) },
    });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('limits each user across both instances, and not the next user', async () => {
    const alice = await aUser(stack, { label: 'alice' });
    const bob = await aUser(stack, { label: 'bob' });
    for (let i = 0; i < PER_USER; i++) expect((await stack.request('GET', '/api/v1/auth/me', { token: alice.accessToken, gateway: i % 2 })).status).toBe(200);
    expect429(await stack.request('GET', '/api/v1/auth/me', { token: alice.accessToken, gateway: 0 }));
    expect429(await stack.request('GET', '/api/v1/auth/me', { token: alice.accessToken, gateway: 1 }));
    expect((await stack.request('GET', '/api/v1/auth/me', { token: bob.accessToken, gateway: 1 })).status).toBe(200);
  });

  it('limits login attempts per account even when they come from many IPs', async () => {
    const email = uniqueEmail('target');
    // Created out of band: a register through the gateway would count toward the account too.
    await stack.rpc().send('auth.users.create', { internalToken: INTERNAL_RPC_TOKEN, email, password: STRONG_PASSWORD, role: 'trader' });
    for (let i = 0; i < PER_ACCOUNT; i++) {
      const res = await stack.request('POST', '/api/v1/auth/login', { body: { email, password: 'Wrong-Passw0rd-x' }, gateway: i % 2, headers: { 'x-forwarded-for': nextIp() } });
      expect(res.status).toBe(401);
    }
    expect429(await stack.request('POST', '/api/v1/auth/login', { body: { email, password: STRONG_PASSWORD }, gateway: 1, headers: { 'x-forwarded-for': nextIp() } }));
    // Another account from a fresh IP is not affected.
    const other = uniqueEmail('other');
    await stack.rpc().send('auth.users.create', { internalToken: INTERNAL_RPC_TOKEN, email: other, password: STRONG_PASSWORD, role: 'trader' });
    expect((await stack.request('POST', '/api/v1/auth/login', { body: { email: other, password: STRONG_PASSWORD }, headers: { 'x-forwarded-for': nextIp() } })).status).toBe(200);
  });

  it('limits register, login and reset per client IP, whatever the account', async () => {
    const ip = nextIp();
    for (let i = 0; i < PER_IP; i++) {
      const res = await stack.request('POST', '/api/v1/auth/register', { body: { email: uniqueEmail('ip'), password: STRONG_PASSWORD }, gateway: i % 2, headers: { 'x-forwarded-for': ip } });
      expect(res.status).toBe(201);
    }
    expect429(await stack.request('POST', '/api/v1/auth/password/reset-request', { body: { email: uniqueEmail('ip') }, gateway: 0, headers: { 'x-forwarded-for': ip } }));
    expect((await stack.request('POST', '/api/v1/auth/password/reset-request', { body: { email: uniqueEmail('ip') }, gateway: 0, headers: { 'x-forwarded-for': nextIp() } })).status).toBe(202);
  });

  it('does not let a client pick its IP with X-Forwarded-For when no proxy is trusted (the default)', async () => {
    const untrusting = await stack.startGateway({ TRUST_PROXY: 'false' });
    let accepted = 0;
    let limited: HttpResult | null = null;
    for (let i = 0; i <= PER_IP && !limited; i++) {
      const res = await stack.request('POST', '/api/v1/auth/register', { body: { email: uniqueEmail('spoof'), password: STRONG_PASSWORD }, gateway: untrusting, headers: { 'x-forwarded-for': nextIp() } });
      if (res.status === 429) limited = res;
      else accepted++;
    }
    expect(accepted).toBeLessThanOrEqual(PER_IP);
    expect(limited).not.toBeNull();
    expect429(limited as HttpResult);
  });

  it('answers 504 with the error body when the service hangs (RPC_TIMEOUT_MS), and recovers', async () => {
    const email = uniqueEmail('carol');
    await stack.rpc().send('auth.users.create', { internalToken: INTERNAL_RPC_TOKEN, email, password: STRONG_PASSWORD, role: 'trader' });
    const carol = (await stack.request('POST', '/api/v1/auth/login', { body: { email, password: STRONG_PASSWORD }, headers: { 'x-forwarded-for': nextIp() } })).body;
    stack.freezeAuth(true);
    try {
      const res = await stack.request('GET', '/api/v1/auth/me', { token: carol.accessToken, gateway: 1 });
      expect(res.status).toBe(504);
      expect(res.body).toMatchObject({ statusCode: 504, error: 'GATEWAY_TIMEOUT', requestId: expect.any(String) });
    } finally {
      stack.freezeAuth(false);
    }
    expect((await stack.request('GET', '/api/v1/auth/me', { token: carol.accessToken })).status).toBe(200);
  });

  it('never limits health probes', async () => {
    for (let i = 0; i < PER_USER + 2; i++) expect((await stack.request('GET', '/health/live')).status).toBe(200);
  });
});
