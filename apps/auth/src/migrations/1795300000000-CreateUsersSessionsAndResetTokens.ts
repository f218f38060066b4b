import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * users unifies the seeds: trade-bot-scratch (names, phone, preferences, trading_limits, email_verified),
 * signals-reader (username, 2FA, failed-login lockout, timezone, preferred_currency, premium) and tradebot
 * (reset tokens, moved to their own table so several can be outstanding and each is single-use).
 * Richer choices: role CHECK (admin|trader|viewer); two_factor_secret is text because it is stored encrypted
 * (signals-reader had VARCHAR(32) plaintext); emails are stored lower-case so UNIQUE(email) is case-insensitive.
 * user_sessions stores refresh tokens hashed (SHA-256 hex) with a family id for reuse detection; signals-reader's
 * session_token/refresh_token columns become one token_hash (richer than scratch's non-unique token_hash).
 * The seeds' indexes on users(email)/users(username)/sessions(token) are covered by the UNIQUE constraints.
 */
export class CreateUsersSessionsAndResetTokens1795300000000 implements MigrationInterface {
  name = 'CreateUsersSessionsAndResetTokens1795300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE auth.users (
        id UUID NOT NULL,
        email VARCHAR(255) NOT NULL,
        username VARCHAR(100),
        password_hash VARCHAR(255) NOT NULL,
        first_name VARCHAR(100),
        last_name VARCHAR(100),
        phone VARCHAR(20),
        role VARCHAR(20) NOT NULL DEFAULT 'trader',
        is_active BOOLEAN NOT NULL DEFAULT true,
        email_verified BOOLEAN NOT NULL DEFAULT false,
        is_premium BOOLEAN NOT NULL DEFAULT false,
        two_factor_enabled BOOLEAN NOT NULL DEFAULT false,
        two_factor_secret TEXT,
        failed_login_attempts INTEGER NOT NULL DEFAULT 0,
        locked_until TIMESTAMPTZ,
        preferences JSONB NOT NULL DEFAULT '{}',
        trading_limits JSONB NOT NULL DEFAULT '{}',
        timezone VARCHAR(50) NOT NULL DEFAULT 'UTC',
        preferred_currency VARCHAR(10) NOT NULL DEFAULT 'USD',
        last_login_at TIMESTAMPTZ,
        last_activity_at TIMESTAMPTZ,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        CONSTRAINT pk_users PRIMARY KEY (id),
        CONSTRAINT uq_users_email UNIQUE (email),
        CONSTRAINT uq_users_username UNIQUE (username),
        CONSTRAINT chk_users_role CHECK (role IN ('admin', 'trader', 'viewer')),
        CONSTRAINT chk_users_email_lowercase CHECK (email = lower(email)),
        CONSTRAINT chk_users_failed_login_attempts CHECK (failed_login_attempts >= 0),
        CONSTRAINT chk_users_two_factor_secret CHECK (NOT two_factor_enabled OR two_factor_secret IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX idx_users_active ON auth.users (is_active)`);
    await q.query(`CREATE INDEX idx_users_created_at ON auth.users (created_at)`);

    await q.query(`
      CREATE TABLE auth.user_sessions (
        id UUID NOT NULL,
        user_id UUID NOT NULL,
        token_hash VARCHAR(64) NOT NULL,
        family_id UUID NOT NULL,
        expires_at TIMESTAMPTZ NOT NULL,
        revoked_at TIMESTAMPTZ,
        replaced_by UUID,
        ip_address INET,
        user_agent TEXT,
        device_info JSONB,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        last_used_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        CONSTRAINT pk_user_sessions PRIMARY KEY (id),
        CONSTRAINT uq_user_sessions_token_hash UNIQUE (token_hash),
        CONSTRAINT chk_user_sessions_token_hash CHECK (token_hash ~ '^[0-9a-f]{64}$'),
        CONSTRAINT fk_user_sessions_user FOREIGN KEY (user_id) REFERENCES auth.users (id) ON DELETE CASCADE,
        CONSTRAINT fk_user_sessions_replaced_by FOREIGN KEY (replaced_by) REFERENCES auth.user_sessions (id) ON DELETE SET NULL
      )`);
    await q.query(`CREATE INDEX idx_user_sessions_user_id ON auth.user_sessions (user_id)`);
    await q.query(`CREATE INDEX idx_user_sessions_family_id ON auth.user_sessions (family_id)`);
    await q.query(`CREATE INDEX idx_user_sessions_expires_at ON auth.user_sessions (expires_at)`);

    await q.query(`
      CREATE TABLE auth.password_reset_tokens (
        id UUID NOT NULL,
        user_id UUID NOT NULL,
        token_hash VARCHAR(64) NOT NULL,
        expires_at TIMESTAMPTZ NOT NULL,
        used_at TIMESTAMPTZ,
        requested_ip INET,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        CONSTRAINT pk_password_reset_tokens PRIMARY KEY (id),
        CONSTRAINT uq_password_reset_tokens_token_hash UNIQUE (token_hash),
        CONSTRAINT chk_password_reset_tokens_token_hash CHECK (token_hash ~ '^[0-9a-f]{64}$'),
        CONSTRAINT fk_password_reset_tokens_user FOREIGN KEY (user_id) REFERENCES auth.users (id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX idx_password_reset_tokens_user_id ON auth.password_reset_tokens (user_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE auth.password_reset_tokens`);
    await q.query(`DROP TABLE auth.user_sessions`);
    await q.query(`DROP TABLE auth.users`);
  }
}
