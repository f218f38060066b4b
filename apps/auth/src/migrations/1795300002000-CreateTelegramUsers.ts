import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * From the signals-reader seed. Its ENUM telegram_user_status becomes a VARCHAR with a CHECK (enums cannot be
 * extended inside a transaction on older servers and the other seeds use CHECKs). user_id stays NULL until the
 * Telegram account is linked to a platform user.
 */
export class CreateTelegramUsers1795300002000 implements MigrationInterface {
  name = 'CreateTelegramUsers1795300002000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE auth.telegram_users (
        id UUID NOT NULL,
        user_id UUID,
        telegram_id BIGINT NOT NULL,
        username VARCHAR(100),
        first_name VARCHAR(100),
        last_name VARCHAR(100),
        language_code VARCHAR(10) NOT NULL DEFAULT 'en',
        status VARCHAR(20) NOT NULL DEFAULT 'pending',
        is_bot_blocked BOOLEAN NOT NULL DEFAULT false,
        notifications_enabled BOOLEAN NOT NULL DEFAULT true,
        notification_types JSONB,
        timezone VARCHAR(50) NOT NULL DEFAULT 'UTC',
        preferred_currency VARCHAR(10) NOT NULL DEFAULT 'USD',
        total_messages INTEGER NOT NULL DEFAULT 0,
        total_commands INTEGER NOT NULL DEFAULT 0,
        last_activity_at TIMESTAMPTZ,
        registration_code VARCHAR(50),
        is_verified BOOLEAN NOT NULL DEFAULT false,
        verified_at TIMESTAMPTZ,
        daily_message_count INTEGER NOT NULL DEFAULT 0,
        daily_command_count INTEGER NOT NULL DEFAULT 0,
        rate_limit_reset_at TIMESTAMPTZ,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        CONSTRAINT pk_telegram_users PRIMARY KEY (id),
        CONSTRAINT uq_telegram_users_telegram_id UNIQUE (telegram_id),
        CONSTRAINT uq_telegram_users_registration_code UNIQUE (registration_code),
        CONSTRAINT chk_telegram_users_status CHECK (status IN ('active', 'blocked', 'banned', 'pending')),
        CONSTRAINT fk_telegram_users_user FOREIGN KEY (user_id) REFERENCES auth.users (id) ON DELETE SET NULL
      )`);
    await q.query(`CREATE INDEX idx_telegram_users_user_id ON auth.telegram_users (user_id)`);
    await q.query(`CREATE INDEX idx_telegram_users_status ON auth.telegram_users (status)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE auth.telegram_users`);
  }
}
