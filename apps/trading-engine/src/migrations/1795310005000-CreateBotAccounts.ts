import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * bot_accounts: the engine's own view of each bot it trades (status from BotStatusChanged, market type, capital)
 * and its exact cash ledger. `cash` is an unconstrained NUMERIC: fills booked at full precision (quantity x price
 * and fees have more than 8 decimals) stay exact; trading.balances shows the same amounts at NUMERIC(20,8).
 * `paper_snapshot` is the paper exchange account (PaperExchangeAdapter.toJSON), saved in the same transaction as
 * the orders it placed, so the paper exchange and the order book never disagree after a crash.
 * `last_signal_at` is the candle time of the newest signal applied: an older one delivered late (after a crash, or
 * by another engine instance) is recorded as stale instead of moving the position backwards.
 */
export class CreateBotAccounts1795310005000 implements MigrationInterface {
  name = 'CreateBotAccounts1795310005000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE trading.bot_accounts (
        bot_id UUID NOT NULL,
        user_id UUID NOT NULL,
        status VARCHAR(20) NOT NULL DEFAULT 'running',
        mode VARCHAR(10) NOT NULL DEFAULT 'paper',
        market_type VARCHAR(10) NOT NULL DEFAULT 'spot',
        exchange VARCHAR(50) NOT NULL,
        quote_currency VARCHAR(20) NOT NULL,
        initial_capital NUMERIC NOT NULL,
        cash NUMERIC NOT NULL,
        paper_snapshot JSONB,
        last_signal_at TIMESTAMPTZ,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        CONSTRAINT pk_bot_accounts PRIMARY KEY (bot_id),
        CONSTRAINT valid_bot_account_mode CHECK (mode IN ('live', 'paper')),
        CONSTRAINT valid_bot_account_market_type CHECK (market_type IN ('spot', 'futures')),
        CONSTRAINT non_negative_cash CHECK (cash >= 0)
      )`);
    await q.query(`CREATE INDEX idx_bot_accounts_user_id ON trading.bot_accounts (user_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE trading.bot_accounts`);
  }
}
