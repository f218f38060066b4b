import { authenticator } from 'otplib';
import Redis from 'ioredis';
import { testRedisUrl } from '@trading/testing';
import { aUser, GatewayStack, INTERNAL_RPC_TOKEN, MASTER_KEY, STRONG_PASSWORD, uniqueEmail } from './gateway-stack.fixture';

const LOCKOUT_SECONDS = 1;
const MAX_FAILURES = 3;

describe('accounts through the gateway (real auth + gateway processes, PostgreSQL, Redis)', () => {
  let stack: GatewayStack;
  const responses: string[] = [];
  const call = async (...args: Parameters<GatewayStack['request']>) => {
    const res = await stack.request(...args);
    responses.push(res.text);
    return res;
  };

  beforeAll(async () => {
    stack = await GatewayStack.start('gw_auth_flows', { authEnv: { LOGIN_MAX_FAILED_ATTEMPTS: String(MAX_FAILURES), LOGIN_LOCKOUT_SECONDS: String(LOCKOUT_SECONDS) } });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('register -> login -> refresh rotates -> reusing an old refresh token revokes the whole login -> logout', async () => {
    const email = uniqueEmail('flow');
    const registered = await call('POST', '/api/v1/auth/register', { body: { email, password: STRONG_PASSWORD } });
    expect(registered.status).toBe(201);
    expect(registered.body).toMatchObject({ email, role: 'trader', twoFactorEnabled: false });
    expect(registered.text).not.toMatch(/password|hash/i);

    const login = await call('POST', '/api/v1/auth/login', { body: { email, password: STRONG_PASSWORD } });
    expect(login.status).toBe(200);
    const first = login.body;
    expect(first.tokenType).toBe('Bearer');
    expect((await call('GET', '/api/v1/auth/me', { token: first.accessToken })).body.email).toBe(email);

    const refreshed = await call('POST', '/api/v1/auth/refresh', { body: { refreshToken: first.refreshToken } });
    expect(refreshed.status).toBe(200);
    const second = refreshed.body;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect((await call('GET', '/api/v1/auth/me', { token: second.accessToken })).status).toBe(200);

    const third = (await call('POST', '/api/v1/auth/refresh', { body: { refreshToken: second.refreshToken } })).body;
    expect(third.refreshToken).toBeDefined();

    const reuse = await call('POST', '/api/v1/auth/refresh', { body: { refreshToken: first.refreshToken } });
    expect(reuse.status).toBe(401);
    expect(reuse.body.error).toBe('REFRESH_TOKEN_REUSED');
    // The whole family is gone: the newest refresh token and the access tokens of that login too.
    expect((await call('POST', '/api/v1/auth/refresh', { body: { refreshToken: third.refreshToken } })).status).toBe(401);
    expect((await call('GET', '/api/v1/auth/me', { token: third.accessToken })).status).toBe(401);

    const again = (await call('POST', '/api/v1/auth/login', { body: { email, password: STRONG_PASSWORD } })).body;
    expect((await call('POST', '/api/v1/auth/logout', { token: again.accessToken })).status).toBe(204);
    expect((await call('GET', '/api/v1/auth/me', { token: again.accessToken })).status).toBe(401);
    expect((await call('POST', '/api/v1/auth/refresh', { body: { refreshToken: again.refreshToken } })).status).toBe(401);
  });

  it('refuses a duplicate email (409) and a weak password with the policy in the message (400)', async () => {
    const email = uniqueEmail('dup');
    expect((await call('POST', '/api/v1/auth/register', { body: { email, password: STRONG_PASSWORD } })).status).toBe(201);
    const dup = await call('POST', '/api/v1/auth/register', { body: { email: email.toUpperCase(), password: STRONG_PASSWORD } });
    expect(dup.status).toBe(409);
    expect(dup.body.error).toBe('EMAIL_TAKEN');
    const weak = await call('POST', '/api/v1/auth/register', { body: { email: uniqueEmail('weak'), password: 'password' } });
    expect(weak.status).toBe(400);
    expect(weak.body).toMatchObject({ error: 'WEAK_PASSWORD', message: expect.stringContaining('12 to 128 characters') });
  });

  it(`locks the account after ${MAX_FAILURES} failed logins and unlocks it after the lockout period`, async () => {
    const user = await aUser(stack, { label: 'lock' });
    const wrong = { email: user.email, password: 'Wrong-Password-123' };
    for (let i = 1; i < MAX_FAILURES; i++) {
      const res = await call('POST', '/api/v1/auth/login', { body: wrong });
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('INVALID_CREDENTIALS');
    }
    const locking = await call('POST', '/api/v1/auth/login', { body: wrong });
    expect(locking.status).toBe(423);
    expect(locking.body.error).toBe('ACCOUNT_LOCKED');
    const lockedRight = await call('POST', '/api/v1/auth/login', { body: { email: user.email, password: user.password } });
    expect(lockedRight.status).toBe(423);

    await new Promise((r) => setTimeout(r, LOCKOUT_SECONDS * 1000 + 200));
    expect((await call('POST', '/api/v1/auth/login', { body: { email: user.email, password: user.password } })).status).toBe(200);
    // The count starts again from zero.
    expect((await call('POST', '/api/v1/auth/login', { body: wrong })).status).toBe(401);
  });

  it('enrolls TOTP two-factor authentication, then requires a code at login', async () => {
    const user = await aUser(stack, { label: 'totp' });
    const setup = await call('POST', '/api/v1/auth/2fa/setup', { token: user.accessToken });
    expect(setup.status).toBe(200);
    const { secret, otpauthUrl } = setup.body;
    expect(otpauthUrl).toContain('otpauth://totp/');
    expect((await call('POST', '/api/v1/auth/2fa/enable', { token: user.accessToken, body: { code: '000000' === authenticator.generate(secret) ? '111111' : '000000' } })).status).toBe(400);
    const enableCode = authenticator.generate(secret);
    expect((await call('POST', '/api/v1/auth/2fa/enable', { token: user.accessToken, body: { code: enableCode } })).status).toBe(204);

    const noCode = await call('POST', '/api/v1/auth/login', { body: { email: user.email, password: user.password } });
    expect(noCode.status).toBe(401);
    expect(noCode.body.error).toBe('TOTP_REQUIRED');
    // A code is accepted once (RFC 6238 §5.2): the one that enabled 2FA cannot log in.
    const replayed = await call('POST', '/api/v1/auth/login', { body: { email: user.email, password: user.password, totpCode: enableCode } });
    expect(replayed.status).toBe(401);
    const code = nextStepCode(secret);
    const withCode = await call('POST', '/api/v1/auth/login', { body: { email: user.email, password: user.password, totpCode: code } });
    expect(withCode.status).toBe(200);
    expect(withCode.body.user.twoFactorEnabled).toBe(true);
    const again = await call('POST', '/api/v1/auth/login', { body: { email: user.email, password: user.password, totpCode: code } });
    expect(again.status).toBe(401);
  });

  it('resets a password with a single-use token that only an internal caller receives', async () => {
    const user = await aUser(stack, { label: 'reset' });
    const publicAnswer = await call('POST', '/api/v1/auth/password/reset-request', { body: { email: user.email } });
    expect(publicAnswer.status).toBe(202);
    expect(publicAnswer.text).toBe('');
    expect((await call('POST', '/api/v1/auth/password/reset-request', { body: { email: uniqueEmail('nobody') } })).status).toBe(202);

    const issued = await stack.rpc().send('auth.passwordReset.request', { email: user.email, origin: { ip: null, userAgent: null }, internalToken: INTERNAL_RPC_TOKEN });
    const token = issued.resetToken!;
    expect(token).toHaveLength(43);
    await expect(stack.rpc().send('auth.passwordReset.request', { email: user.email, origin: { ip: null, userAgent: null }, internalToken: 'x'.repeat(40) })).rejects.toMatchObject({ status: 403 });

    expect((await call('POST', '/api/v1/auth/password/reset', { body: { token, newPassword: 'short' } })).status).toBe(400);
    const newPassword = 'A-Brand-New-Passw0rd';
    expect((await call('POST', '/api/v1/auth/password/reset', { body: { token, newPassword } })).status).toBe(204);
    const reused = await call('POST', '/api/v1/auth/password/reset', { body: { token, newPassword: 'Yet-Another-Passw0rd' } });
    expect(reused.status).toBe(400);
    expect(reused.body.error).toBe('INVALID_RESET_TOKEN');
    expect((await call('GET', '/api/v1/auth/me', { token: user.accessToken })).status).toBe(401);
    expect((await call('POST', '/api/v1/auth/login', { body: { email: user.email, password: user.password } })).status).toBe(401);
    expect((await call('POST', '/api/v1/auth/login', { body: { email: user.email, password: newPassword } })).status).toBe(200);
  });

  it('changes a password: the current one is checked and every login of the account ends', async () => {
    const user = await aUser(stack, { label: 'change' });
    expect((await call('POST', '/api/v1/auth/password/change', { token: user.accessToken, body: { currentPassword: 'Not-The-Passw0rd', newPassword: 'Changed-Passw0rd-1' } })).status).toBe(400);
    expect((await call('POST', '/api/v1/auth/password/change', { token: user.accessToken, body: { currentPassword: user.password, newPassword: 'Changed-Passw0rd-1' } })).status).toBe(204);
    expect((await call('GET', '/api/v1/auth/me', { token: user.accessToken })).status).toBe(401);
    const login = await call('POST', '/api/v1/auth/login', { body: { email: user.email, password: 'Changed-Passw0rd-1' } });
    expect((await call('GET', '/api/v1/auth/me', { token: login.body.accessToken })).status).toBe(200);
  });

  it('an admin changes a role: audited, and the old access token stops working at once', async () => {
    const admin = await aUser(stack, { admin: true });
    const user = await aUser(stack, { label: 'role' });
    const changed = await call('PATCH', `/api/v1/users/${user.id}/role`, { token: admin.accessToken, body: { role: 'viewer' } });
    expect(changed.status).toBe(200);
    expect(changed.body.role).toBe('viewer');
    expect((await call('GET', '/api/v1/auth/me', { token: user.accessToken })).status).toBe(401);
    const refreshed = await call('POST', '/api/v1/auth/refresh', { body: { refreshToken: user.refreshToken } });
    expect(refreshed.body.user.role).toBe('viewer');
    // A viewer reads but does not store exchange keys.
    const viewer = refreshed.body.accessToken;
    expect((await call('GET', '/api/v1/keys', { token: viewer })).status).toBe(200);
    expect((await call('POST', '/api/v1/keys', { token: viewer, body: { exchange: 'binance', label: 'v', apiKey: 'viewer-key-1234', secret: 'viewer-secret-1234', testnet: true } })).status).toBe(403);
  });

  it('tradectl user create --admin makes an admin (over the internal RPC), and user reset-token issues a reset token', async () => {
    const email = uniqueEmail('cli-admin');
    const created = stack.tradectl(['user', 'create', '--email', email, '--password', STRONG_PASSWORD, '--admin']);
    expect(created.stderr).toBe('');
    expect(created.stdout).toContain(`created admin ${email}`);
    const login = await call('POST', '/api/v1/auth/login', { body: { email, password: STRONG_PASSWORD } });
    expect(login.body.user.role).toBe('admin');
    expect((await call('GET', '/api/v1/users', { token: login.body.accessToken })).status).toBe(200);

    const again = stack.tradectl(['user', 'create', '--email', email, '--password', STRONG_PASSWORD]);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('EMAIL_TAKEN');

    const reset = stack.tradectl(['user', 'reset-token', '--email', email]);
    const token = /reset token .*: (\S+)/.exec(reset.stdout)?.[1];
    expect(token).toHaveLength(43);
    expect((await call('POST', '/api/v1/auth/password/reset', { body: { token, newPassword: 'Operator-Reset-Passw0rd' } })).status).toBe(204);
  });

  describe('the exchange-key vault', () => {
    const apiKey = `KEY-${Date.now()}-vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw`;
    const secret = `SECRET-${Date.now()}-NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP`;
    const passphrase = `PASSPHRASE-${Date.now()}-q8Zr`;
    let owner: Awaited<ReturnType<typeof aUser>>;
    let keyId: string;

    beforeAll(async () => {
      owner = await aUser(stack, { label: 'vault' });
      const created = await call('POST', '/api/v1/keys', { token: owner.accessToken, body: { exchange: 'okx', label: 'main', apiKey, secret, passphrase, testnet: true } });
      expect(created.status).toBe(201);
      keyId = created.body.id;
      expect(created.body).toMatchObject({ exchange: 'okx', label: 'main', testnet: true, hasPassphrase: true, apiKeyMasked: `${apiKey.slice(0, 4)}…${apiKey.slice(-4)}` });
    });

    it('lists only a masked key, refuses a duplicate label and deletes', async () => {
      const list = await call('GET', '/api/v1/keys', { token: owner.accessToken });
      expect(list.body.items.map((k: { id: string }) => k.id)).toEqual([keyId]);
      expect((await call('GET', `/api/v1/keys/${keyId}`, { token: owner.accessToken })).body.id).toBe(keyId);
      const dup = await call('POST', '/api/v1/keys', { token: owner.accessToken, body: { exchange: 'okx', label: 'main', apiKey: 'another-key-123', secret: 'another-secret-123', testnet: true } });
      expect(dup.status).toBe(409);
      const spare = await call('POST', '/api/v1/keys', { token: owner.accessToken, body: { exchange: 'okx', label: 'spare', apiKey: 'spare-key-123456', secret: 'spare-secret-123', testnet: false } });
      expect((await call('DELETE', `/api/v1/keys/${spare.body.id}`, { token: owner.accessToken })).status).toBe(204);
      expect((await call('GET', `/api/v1/keys/${spare.body.id}`, { token: owner.accessToken })).status).toBe(404);
    });

    it('gives the decrypted key only to an internal caller, never through the gateway', async () => {
      const rpc = stack.rpc();
      const decrypted = await rpc.send('auth.apiKeys.decryptForEngine', { internalToken: INTERNAL_RPC_TOKEN, userId: owner.id, keyId });
      expect(decrypted).toEqual({ keyId, userId: owner.id, exchange: 'okx', testnet: true, apiKey, secret, passphrase });
      await expect(rpc.send('auth.apiKeys.decryptForEngine', { internalToken: 'not-the-token-0123456789abcdef', userId: owner.id, keyId })).rejects.toMatchObject({ status: 403 });
      const doc = await call('GET', '/docs-json');
      expect(doc.text).not.toMatch(/decrypt/i);
    });

    it('re-encrypts every stored secret under a new master key (tradectl keys rotate), after which the old key is not needed', async () => {
      const totpUser = await aUser(stack, { label: 'rotate' });
      const { secret: totpSecret } = (await call('POST', '/api/v1/auth/2fa/setup', { token: totpUser.accessToken })).body;
      await call('POST', '/api/v1/auth/2fa/enable', { token: totpUser.accessToken, body: { code: authenticator.generate(totpSecret) } });

      const newKey = Buffer.alloc(32, 9).toString('base64');
      await stack.stopAuth();
      const down = await call('GET', '/api/v1/auth/me', { token: totpUser.accessToken });
      expect(down.status).toBe(503);
      expect(down.body).toMatchObject({ statusCode: 503, error: 'SERVICE_UNAVAILABLE', requestId: expect.any(String) });
      await stack.startAuth({ MASTER_KEY: newKey, MASTER_KEY_ID: 'k2', MASTER_KEYS_PREVIOUS: `k1:${MASTER_KEY}` });
      const rotated = stack.tradectl(['keys', 'rotate']);
      expect(rotated.stderr).toBe('');
      expect(rotated.stdout).toMatch(/re-encrypted [1-9]\d* exchange keys and [1-9]\d* TOTP secrets under master key k2/);
      expect(stack.tradectl(['keys', 'rotate']).stdout).toContain('re-encrypted 0 exchange keys and 0 TOTP secrets');

      await stack.stopAuth();
      await stack.startAuth({ MASTER_KEY: newKey, MASTER_KEY_ID: 'k2' });
      expect(await stack.rpc().send('auth.apiKeys.decryptForEngine', { internalToken: INTERNAL_RPC_TOKEN, userId: owner.id, keyId })).toMatchObject({ apiKey, secret, passphrase });
      const login = await call('POST', '/api/v1/auth/login', { body: { email: totpUser.email, password: totpUser.password, totpCode: nextStepCode(totpSecret) } });
      expect(login.status).toBe(200);
    });

    it('never shows the key, secret or passphrase in a response body, a log line of any service, or an audit event', async () => {
      const logs = stack.logs();
      expect(logs.length).toBeGreaterThan(1000);
      for (const value of [apiKey, secret, passphrase]) {
        expect(responses.filter((body) => body.includes(value))).toEqual([]);
        expect(logs.includes(value)).toBe(false);
      }
      const redis = new Redis(testRedisUrl());
      try {
        const entries = await redis.xrange(`${stack.namespace}events:audit`, '-', '+');
        const events = entries.map(([, fields]) => JSON.parse(fields[fields.indexOf('event') + 1]) as { payload: { action: string } });
        const raw = JSON.stringify(events);
        for (const value of [apiKey, secret, passphrase, STRONG_PASSWORD]) expect(raw.includes(value)).toBe(false);
        const actions = new Set(events.map((e) => e.payload.action));
        for (const action of ['user.registered', 'auth.login', 'auth.login_failed', 'auth.account_locked', 'auth.logout', 'auth.refresh_token_reused', 'api_key.created', 'api_key.deleted', 'user.role_changed']) {
          expect([...actions]).toContain(action);
        }
      } finally {
        redis.disconnect();
      }
    });
  });
});

/** The code of the next 30 s step: accepted (±1 step window) even right after the current code was used. */
function nextStepCode(secret: string): string {
  return authenticator.clone({ epoch: Date.now() + 30_000 }).generate(secret);
}
