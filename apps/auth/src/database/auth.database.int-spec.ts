import { createHash, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { v7 } from 'uuid';
import { migrateDownAll, migrateUp, schemaDrift, serviceDataSourceOptions } from '@trading/database';
import { TestDatabase, createTestDatabase } from '@trading/testing';
import { UserApiKeyRepository } from '../api-keys/user-api-key.repository';
import { UserSessionRepository } from '../sessions/user-session.repository';
import { TelegramUserRepository } from '../telegram/telegram-user.repository';
import { PasswordResetTokenRepository } from '../users/password-reset-token.repository';
import { UserRepository } from '../users/user.repository';
import { definitionDrift } from '@trading/database';
import { authDatabase } from './auth.database';

const TABLES = ['migrations', 'outbox', 'password_reset_tokens', 'telegram_users', 'user_api_keys', 'user_sessions', 'users'];
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const token = () => sha256(randomBytes(16).toString('hex'));

describe('auth database', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let users: UserRepository;

  const tables = async (): Promise<string[]> =>
    (
      await ds.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'auth' ORDER BY table_name`)
    ).map((r: { table_name: string }) => r.table_name);
  const refused = (sql: string, params: unknown[], constraint: string) => expect(ds.query(sql, params)).rejects.toMatchObject({ constraint });
  const aUser = (email = `${v7()}@example.com`) => users.create({ email, passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$x$y' });

  beforeAll(async () => {
    db = await createTestDatabase('auth_db');
    await migrateUp(authDatabase, db.url);
    ds = await new DataSource(serviceDataSourceOptions(authDatabase, db.url, { poolSize: 3 })).initialize();
    users = new UserRepository(ds);
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('migrates an empty database into every auth table, with no drift from the entities (columns, constraints, index definitions)', async () => {
    expect(await tables()).toEqual(TABLES);
    expect(await schemaDrift(authDatabase, db.url)).toEqual([]);
    expect(await definitionDrift(authDatabase, db.url)).toEqual([]);
  });

  describe('constraints', () => {
    it('refuses an unknown role, a duplicate email and a mixed-case email', async () => {
      const user = await aUser();
      await refused(`INSERT INTO auth.users (id, email, password_hash, role) VALUES ($1, $2, 'h', 'root')`, [v7(), 'r@x.io'], 'chk_users_role');
      await refused(`INSERT INTO auth.users (id, email, password_hash) VALUES ($1, $2, 'h')`, [v7(), user.email], 'uq_users_email');
      await refused(`INSERT INTO auth.users (id, email, password_hash) VALUES ($1, 'Mixed@X.io', 'h')`, [v7()], 'chk_users_email_lowercase');
    });

    it('refuses a duplicate username but allows many users without one', async () => {
      await users.create({ email: 'a1@x.io', passwordHash: 'h', username: 'alice' });
      await refused(`INSERT INTO auth.users (id, email, password_hash, username) VALUES ($1, 'a2@x.io', 'h', 'alice')`, [v7()], 'uq_users_username');
      await aUser();
      await aUser();
    });

    it('refuses 2FA enabled without a secret', async () => {
      await refused(`INSERT INTO auth.users (id, email, password_hash, two_factor_enabled) VALUES ($1, 'tf@x.io', 'h', true)`, [v7()], 'chk_users_two_factor_secret');
    });

    it('refuses a session token that is not a SHA-256 hex digest, and a reused token hash', async () => {
      const user = await aUser();
      const hash = token();
      const sql = `INSERT INTO auth.user_sessions (id, user_id, token_hash, family_id, expires_at) VALUES ($1, $2, $3, $4, now() + interval '1 day')`;
      await ds.query(sql, [v7(), user.id, hash, v7()]);
      await refused(sql, [v7(), user.id, hash, v7()], 'uq_user_sessions_token_hash');
      await refused(sql, [v7(), user.id, 'plain-refresh-token', v7()], 'chk_user_sessions_token_hash');
    });

    it('refuses empty encrypted credentials and a second key with the same user, exchange, network and label', async () => {
      const user = await aUser();
      const sql = `INSERT INTO auth.user_api_keys (id, user_id, exchange, label, api_key_encrypted, secret_encrypted, key_id, api_key_masked, is_testnet)
                   VALUES ($1, $2, 'binance', $3, $4, $5, 'k1', 'abcd…wxyz', $6)`;
      await ds.query(sql, [v7(), user.id, 'main', 'enc-key', 'enc-secret', false]);
      await ds.query(sql, [v7(), user.id, 'main', 'enc-key', 'enc-secret', true]);
      await refused(sql, [v7(), user.id, 'main', 'enc-key', 'enc-secret', false], 'uq_user_api_keys_user_exchange_testnet_label');
      await refused(sql, [v7(), user.id, 'other', '', 'enc-secret', false], 'chk_user_api_keys_api_key_encrypted');
      await refused(sql, [v7(), user.id, 'other', 'enc-key', '', false], 'chk_user_api_keys_secret_encrypted');
    });

    it('refuses an unknown telegram status and a duplicate telegram id', async () => {
      const sql = `INSERT INTO auth.telegram_users (id, telegram_id, status) VALUES ($1, $2, $3)`;
      await ds.query(sql, [v7(), '900000000001', 'pending']);
      await refused(sql, [v7(), '900000000001', 'pending'], 'uq_telegram_users_telegram_id');
      await refused(sql, [v7(), '900000000002', 'deleted'], 'chk_telegram_users_status');
    });

    it('deletes a user with their sessions, keys and reset tokens, and unlinks their telegram account', async () => {
      const user = await aUser();
      await new UserSessionRepository(ds).create({ userId: user.id, tokenHash: token(), expiresAt: new Date(Date.now() + 3_600_000) });
      await new PasswordResetTokenRepository(ds).create({ userId: user.id, tokenHash: token(), expiresAt: new Date(Date.now() + 3_600_000) });
      const tg = await new TelegramUserRepository(ds).create({ telegramId: '900000000003', registrationCode: 'code-del' });
      await new TelegramUserRepository(ds).linkByRegistrationCode('code-del', user.id, new Date());
      await ds.query(`DELETE FROM auth.users WHERE id = $1`, [user.id]);
      const [{ n }] = await ds.query(
        `SELECT (SELECT count(*) FROM auth.user_sessions WHERE user_id = $1) + (SELECT count(*) FROM auth.password_reset_tokens WHERE user_id = $1) AS n`,
        [user.id],
      );
      expect(Number(n)).toBe(0);
      expect((await new TelegramUserRepository(ds).findById(tg.id))?.userId).toBeNull();
    });
  });

  describe('repositories', () => {
    it('users: create, find by id/email/username, lockout counting, keyset pages', async () => {
      const created = await users.create({ email: '  Bob@Example.COM ', passwordHash: 'hash', username: 'bob', role: 'viewer' });
      expect(created).toMatchObject({ email: 'bob@example.com', role: 'viewer', isActive: true, failedLoginAttempts: 0, preferences: {}, timezone: 'UTC' });
      expect((await users.findById(created.id))?.username).toBe('bob');
      expect((await users.findByEmail('BOB@example.com'))?.id).toBe(created.id);
      expect((await users.findByUsername('bob'))?.id).toBe(created.id);

      const lockUntil = new Date('2030-01-01T00:00:00Z');
      expect(await users.recordFailedLogin(created.id, 2, lockUntil)).toEqual({ attempts: 1, lockedUntil: null });
      expect(await users.recordFailedLogin(created.id, 2, lockUntil)).toEqual({ attempts: 2, lockedUntil: lockUntil });
      await users.recordSuccessfulLogin(created.id, new Date('2026-01-01T00:00:00Z'));
      expect(await users.findById(created.id)).toMatchObject({ failedLoginAttempts: 0, lockedUntil: null, lastLoginAt: new Date('2026-01-01T00:00:00Z') });

      const all: string[] = [];
      let page = await users.list({ limit: 3 });
      all.push(...page.items.map((u) => u.id));
      while (page.next) {
        page = await users.list({ limit: 3, after: page.next });
        all.push(...page.items.map((u) => u.id));
      }
      const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM auth.users`);
      expect(all).toHaveLength(n);
      expect(new Set(all).size).toBe(n);
    });

    it('sessions: rotation keeps the family, a reused token finds its session revoked, the family is revoked at once', async () => {
      const sessions = new UserSessionRepository(ds);
      const user = await aUser();
      const first = await sessions.create({ userId: user.id, tokenHash: token(), expiresAt: new Date(Date.now() + 3_600_000), ipAddress: '10.0.0.1', deviceInfo: { os: 'linux' } });
      expect(first).toMatchObject({ ipAddress: '10.0.0.1', deviceInfo: { os: 'linux' }, revokedAt: null });
      const second = await sessions.rotate(first.id, { tokenHash: token(), expiresAt: new Date(Date.now() + 3_600_000) }, new Date());
      expect(second?.familyId).toBe(first.familyId);
      expect((await sessions.findByTokenHash(first.tokenHash))?.replacedBy).toBe(second?.id);
      expect(await sessions.rotate(first.id, { tokenHash: token(), expiresAt: new Date(Date.now() + 3_600_000) }, new Date())).toBeNull();
      expect(await sessions.listActiveByUser(user.id, new Date())).toHaveLength(1);
      expect(await sessions.revokeFamily(first.familyId, new Date())).toBe(1);
      expect(await sessions.listActiveByUser(user.id, new Date())).toHaveLength(0);
    });

    it('api keys: create, owner-scoped find, list, delete', async () => {
      const keys = new UserApiKeyRepository(ds);
      const owner = await aUser();
      const stranger = await aUser();
      const key = await keys.create({ userId: owner.id, exchange: 'binance', apiKeyEncrypted: 'v1:iv:ct:tag', secretEncrypted: 'v1:iv:ct2:tag', keyId: 'master-2026', apiKeyMasked: 'abcd…wxyz', isTestnet: true });
      expect(key).toMatchObject({ label: 'default', isActive: true, isTestnet: true, passphraseEncrypted: null, isValid: null });
      expect((await keys.findByIdForUser(key.id, owner.id))?.apiKeyEncrypted).toBe('v1:iv:ct:tag');
      expect(await keys.findByIdForUser(key.id, stranger.id)).toBeNull();
      expect((await keys.listByUser(owner.id)).map((k) => k.id)).toEqual([key.id]);
      expect((await keys.listByMasterKey('master-2026')).map((k) => k.id)).toContain(key.id);
      expect(await keys.deleteForUser(key.id, stranger.id)).toBe(false);
      expect(await keys.deleteForUser(key.id, owner.id)).toBe(true);
    });

    it('password reset tokens are single use and expire', async () => {
      const resets = new PasswordResetTokenRepository(ds);
      const user = await aUser();
      const live = await resets.create({ userId: user.id, tokenHash: token(), expiresAt: new Date('2030-01-01T00:00:00Z'), requestedIp: '::1' });
      const expired = await resets.create({ userId: user.id, tokenHash: token(), expiresAt: new Date('2020-01-01T00:00:00Z') });
      expect((await resets.findByTokenHash(live.tokenHash))?.requestedIp).toBe('::1');
      expect(await resets.consume(live.tokenHash, new Date())).toBe(user.id);
      expect(await resets.consume(live.tokenHash, new Date())).toBeNull();
      expect(await resets.consume(expired.tokenHash, new Date())).toBeNull();
    });

    it('telegram users: bigint ids stay exact, linking by registration code is single use', async () => {
      const telegram = new TelegramUserRepository(ds);
      const user = await aUser();
      const tg = await telegram.create({ telegramId: '9007199254740993', username: 'tg_bob', registrationCode: 'reg-123' });
      expect(tg).toMatchObject({ telegramId: '9007199254740993', status: 'pending', userId: null, languageCode: 'en' });
      const linked = await telegram.linkByRegistrationCode('reg-123', user.id, new Date());
      expect(linked).toMatchObject({ userId: user.id, status: 'active', isVerified: true, registrationCode: null });
      expect(await telegram.linkByRegistrationCode('reg-123', user.id, new Date())).toBeNull();
      expect((await telegram.findByTelegramId('9007199254740993'))?.id).toBe(tg.id);
      expect((await telegram.findByUser(user.id)).map((t) => t.id)).toEqual([tg.id]);
    });
  });

  it('migrates down to an empty schema and up again', async () => {
    await ds.destroy();
    expect(await migrateDownAll(authDatabase, db.url)).toBe(Object.values(authDatabase.migrations).length);
    ds = await new DataSource(serviceDataSourceOptions(authDatabase, db.url, { poolSize: 1 })).initialize();
    expect(await tables()).toEqual(['migrations']);
    expect(await ds.query(`SELECT * FROM auth.migrations`)).toEqual([]);
    await ds.destroy();
    expect(await migrateUp(authDatabase, db.url)).toHaveLength(Object.values(authDatabase.migrations).length);
    expect(await migrateUp(authDatabase, db.url)).toEqual([]);
    ds = await new DataSource(serviceDataSourceOptions(authDatabase, db.url, { poolSize: 1 })).initialize();
    expect(await tables()).toEqual(TABLES);
    expect(await schemaDrift(authDatabase, db.url)).toEqual([]);
  });
});
