import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Exchange credentials, encrypted by the service (envelope encryption: key_id names the master key so keys can
 * be rotated). Unifies trade-bot-scratch (passphrase, testnet flag, non-empty CHECKs) with tradebot (label,
 * is_valid). The scratch UNIQUE(user_id, exchange, is_testnet) is widened with label so a user can hold
 * several keys per exchange.
 */
export class CreateUserApiKeys1795300001000 implements MigrationInterface {
  name = 'CreateUserApiKeys1795300001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE auth.user_api_keys (
        id UUID NOT NULL,
        user_id UUID NOT NULL,
        exchange VARCHAR(50) NOT NULL,
        label VARCHAR(100) NOT NULL DEFAULT 'default',
        api_key_encrypted TEXT NOT NULL,
        secret_encrypted TEXT NOT NULL,
        passphrase_encrypted TEXT,
        key_id VARCHAR(64) NOT NULL,
        api_key_masked VARCHAR(32) NOT NULL,
        is_testnet BOOLEAN NOT NULL DEFAULT false,
        is_active BOOLEAN NOT NULL DEFAULT true,
        is_valid BOOLEAN,
        last_validated_at TIMESTAMPTZ,
        last_used_at TIMESTAMPTZ,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        CONSTRAINT pk_user_api_keys PRIMARY KEY (id),
        CONSTRAINT uq_user_api_keys_user_exchange_testnet_label UNIQUE (user_id, exchange, is_testnet, label),
        CONSTRAINT chk_user_api_keys_api_key_encrypted CHECK (length(api_key_encrypted) > 0),
        CONSTRAINT chk_user_api_keys_secret_encrypted CHECK (length(secret_encrypted) > 0),
        CONSTRAINT chk_user_api_keys_passphrase_encrypted CHECK (passphrase_encrypted IS NULL OR length(passphrase_encrypted) > 0),
        CONSTRAINT chk_user_api_keys_label CHECK (length(label) > 0),
        CONSTRAINT fk_user_api_keys_user FOREIGN KEY (user_id) REFERENCES auth.users (id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX idx_user_api_keys_user_id ON auth.user_api_keys (user_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE auth.user_api_keys`);
  }
}
