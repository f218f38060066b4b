import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Risk's own read model, fed by events:trades (it never reads trading.*): bot_accounts holds a bot's capital,
 * realized P&L, equity peak, the current UTC day/ISO week with their starting equity, the day's trade count and
 * outcomes (for risk_metrics), and the
 * last losing close (cooldown); bot_positions the open positions (deleted when flat). The pre-trade check reads
 * them from memory; these tables rebuild that memory at start.
 */
export class CreateBotAccountsAndPositions1795320003000 implements MigrationInterface {
  name = 'CreateBotAccountsAndPositions1795320003000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE risk.bot_accounts (
        bot_id UUID NOT NULL,
        user_id UUID NOT NULL,
        starting_equity NUMERIC(28,8) NOT NULL,
        realized_pnl NUMERIC(28,8) NOT NULL DEFAULT 0,
        peak_equity NUMERIC(28,8) NOT NULL,
        day DATE NOT NULL,
        day_start_equity NUMERIC(28,8) NOT NULL,
        day_trades INTEGER NOT NULL DEFAULT 0,
        day_wins INTEGER NOT NULL DEFAULT 0,
        day_losses INTEGER NOT NULL DEFAULT 0,
        day_gross_profit NUMERIC(28,8) NOT NULL DEFAULT 0,
        day_gross_loss NUMERIC(28,8) NOT NULL DEFAULT 0,
        day_largest_win NUMERIC(28,8) NOT NULL DEFAULT 0,
        day_largest_loss NUMERIC(28,8) NOT NULL DEFAULT 0,
        week_start DATE NOT NULL,
        week_start_equity NUMERIC(28,8) NOT NULL,
        last_loss_at TIMESTAMPTZ,
        updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        CONSTRAINT pk_bot_accounts PRIMARY KEY (bot_id),
        CONSTRAINT non_negative_day_trades CHECK (day_trades >= 0 AND day_wins >= 0 AND day_losses >= 0)
      )`);
    await q.query(`CREATE INDEX idx_bot_accounts_user_id ON risk.bot_accounts (user_id)`);
    await q.query(`
      CREATE TABLE risk.bot_positions (
        bot_id UUID NOT NULL,
        exchange VARCHAR(50) NOT NULL,
        symbol VARCHAR(30) NOT NULL,
        quantity NUMERIC(28,8) NOT NULL,
        avg_entry_price NUMERIC(28,8),
        mark_price NUMERIC(28,8),
        unrealized_pnl NUMERIC(28,8) NOT NULL DEFAULT 0,
        changed_at TIMESTAMPTZ NOT NULL,
        CONSTRAINT pk_bot_positions PRIMARY KEY (bot_id, exchange, symbol)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE risk.bot_positions`);
    await q.query(`DROP TABLE risk.bot_accounts`);
  }
}
