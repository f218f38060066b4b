import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * portfolios and balances come from the signals-reader seed, which only names them (portfolios: user_id, name;
 * balances: per account and currency). Unified here: a portfolio groups a user's bots and manual orders, with at
 * most one default portfolio per user; balances is the current free/locked amount per bot and currency
 * (trading.account_balance keeps the history).
 * user_id references auth.users by value only: no foreign key crosses a schema.
 */
export class CreatePortfoliosAndBalances1795310000000 implements MigrationInterface {
  name = 'CreatePortfoliosAndBalances1795310000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE trading.portfolios (
        id UUID NOT NULL,
        user_id UUID NOT NULL,
        name VARCHAR(100) NOT NULL,
        description TEXT,
        base_currency VARCHAR(10) NOT NULL DEFAULT 'USDT',
        is_default BOOLEAN NOT NULL DEFAULT false,
        is_active BOOLEAN NOT NULL DEFAULT true,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        CONSTRAINT pk_portfolios PRIMARY KEY (id),
        CONSTRAINT uq_portfolios_user_name UNIQUE (user_id, name),
        CONSTRAINT chk_portfolios_name CHECK (length(trim(name)) > 0)
      )`);
    await q.query(`CREATE INDEX idx_portfolios_user_id ON trading.portfolios (user_id)`);
    await q.query(`CREATE UNIQUE INDEX uq_portfolios_user_default ON trading.portfolios (user_id) WHERE is_default`);

    await q.query(`
      CREATE TABLE trading.balances (
        bot_id UUID NOT NULL,
        currency VARCHAR(20) NOT NULL,
        user_id UUID NOT NULL,
        free NUMERIC(20,8) NOT NULL DEFAULT 0,
        locked NUMERIC(20,8) NOT NULL DEFAULT 0,
        updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        CONSTRAINT pk_balances PRIMARY KEY (bot_id, currency),
        CONSTRAINT valid_balance CHECK (free >= 0 AND locked >= 0)
      )`);
    await q.query(`CREATE INDEX idx_balances_user_id ON trading.balances (user_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE trading.balances`);
    await q.query(`DROP TABLE trading.portfolios`);
  }
}
