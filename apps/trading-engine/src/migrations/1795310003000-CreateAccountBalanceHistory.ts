import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * account_balance: the alpha catalogue's balance history (margin fields, pnl, snapshot_type), per bot as there,
 * plus user_id and currency (a bot can hold several assets). locked_balance gets the >= 0 CHECK its siblings have.
 * realized_pnl is NUMERIC(28,8): it is the running total since the bot started.
 */
export class CreateAccountBalanceHistory1795310003000 implements MigrationInterface {
  name = 'CreateAccountBalanceHistory1795310003000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE trading.account_balance (
        id UUID NOT NULL,
        bot_id UUID NOT NULL,
        user_id UUID NOT NULL,
        currency VARCHAR(20) NOT NULL,
        total_balance NUMERIC(20,8) NOT NULL,
        available_balance NUMERIC(20,8) NOT NULL,
        locked_balance NUMERIC(20,8) NOT NULL DEFAULT 0,
        equity NUMERIC(20,8) NOT NULL,
        margin_used NUMERIC(20,8) NOT NULL DEFAULT 0,
        margin_available NUMERIC(20,8),
        margin_level NUMERIC(10,6),
        unrealized_pnl NUMERIC(20,8) NOT NULL DEFAULT 0,
        realized_pnl NUMERIC(28,8) NOT NULL DEFAULT 0,
        daily_pnl NUMERIC(20,8) NOT NULL DEFAULT 0,
        snapshot_type VARCHAR(20) NOT NULL DEFAULT 'periodic',
        data_source VARCHAR(50) NOT NULL DEFAULT 'exchange',
        "timestamp" TIMESTAMPTZ NOT NULL DEFAULT now(),
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        CONSTRAINT pk_account_balance PRIMARY KEY (id),
        CONSTRAINT positive_total_balance CHECK (total_balance >= 0),
        CONSTRAINT valid_available_balance CHECK (available_balance >= 0),
        CONSTRAINT valid_locked_balance CHECK (locked_balance >= 0),
        CONSTRAINT valid_snapshot_type CHECK (snapshot_type IN ('periodic', 'trade_open', 'trade_close', 'deposit', 'withdrawal', 'manual'))
      )`);
    await q.query(`CREATE INDEX idx_balance_bot_id ON trading.account_balance (bot_id)`);
    await q.query(`CREATE INDEX idx_balance_timestamp ON trading.account_balance ("timestamp" DESC)`);
    await q.query(`CREATE INDEX idx_balance_bot_time ON trading.account_balance (bot_id, "timestamp" DESC, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE trading.account_balance`);
  }
}
