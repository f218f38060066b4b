import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * positions: the alpha catalogue is the richest definition (trailing-stop bookkeeping, pnl split, trade id arrays,
 * positive_size); signals-reader adds fees_paid (its total_fees) and scratch adds user_id and exchange.
 * A closed position keeps its last size and status 'closed' (positive_size refuses 0).
 * The seed's non-unique idx_positions_open becomes a partial UNIQUE index: at most one open position per bot and
 * symbol. bot_id is nullable for manual positions, so the index treats NULLs as equal and includes user_id and
 * exchange (a manual position is unique per user, exchange and symbol).
 * realized_pnl, total_pnl and fees_paid are NUMERIC(28,8): they accumulate over every fill of a long-lived
 * position, so they get more integer digits than one fill's NUMERIC(20,8) amounts.
 */
export class CreatePositions1795310002000 implements MigrationInterface {
  name = 'CreatePositions1795310002000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE trading.positions (
        id UUID NOT NULL,
        bot_id UUID,
        user_id UUID NOT NULL,
        exchange VARCHAR(50) NOT NULL,
        symbol VARCHAR(30) NOT NULL,
        mode VARCHAR(10) NOT NULL DEFAULT 'live',
        side VARCHAR(5) NOT NULL,
        size NUMERIC(20,8) NOT NULL,
        avg_entry_price NUMERIC(20,8) NOT NULL,
        current_price NUMERIC(20,8),
        leverage INTEGER NOT NULL DEFAULT 1,
        unrealized_pnl NUMERIC(20,8) NOT NULL DEFAULT 0,
        unrealized_pnl_pct NUMERIC(10,6) NOT NULL DEFAULT 0,
        realized_pnl NUMERIC(28,8) NOT NULL DEFAULT 0,
        total_pnl NUMERIC(28,8) NOT NULL DEFAULT 0,
        fees_paid NUMERIC(28,8) NOT NULL DEFAULT 0,
        stop_loss NUMERIC(20,8),
        take_profit NUMERIC(20,8),
        trailing_stop_pct NUMERIC(5,4),
        highest_price NUMERIC(20,8),
        lowest_price NUMERIC(20,8),
        status VARCHAR(20) NOT NULL DEFAULT 'open',
        strategy VARCHAR(50),
        opened_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        closed_at TIMESTAMPTZ,
        entry_trade_ids TEXT[],
        exit_trade_ids TEXT[],
        metadata JSONB,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        CONSTRAINT pk_positions PRIMARY KEY (id),
        CONSTRAINT valid_mode CHECK (mode IN ('live', 'paper')),
        CONSTRAINT valid_side CHECK (side IN ('long', 'short')),
        CONSTRAINT valid_status CHECK (status IN ('open', 'partially_closed', 'closed', 'liquidated')),
        CONSTRAINT positive_size CHECK (size > 0),
        CONSTRAINT positive_entry_price CHECK (avg_entry_price > 0),
        CONSTRAINT valid_leverage CHECK (leverage >= 1),
        CONSTRAINT valid_trailing_stop_pct CHECK (trailing_stop_pct IS NULL OR (trailing_stop_pct > 0 AND trailing_stop_pct < 1)),
        CONSTRAINT valid_closed_at CHECK (status NOT IN ('closed', 'liquidated') OR closed_at IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX idx_positions_bot_id ON trading.positions (bot_id)`);
    await q.query(`CREATE INDEX idx_positions_user_id ON trading.positions (user_id)`);
    await q.query(`CREATE INDEX idx_positions_symbol ON trading.positions (symbol)`);
    await q.query(`CREATE INDEX idx_positions_status ON trading.positions (status)`);
    await q.query(`CREATE INDEX idx_positions_bot_symbol ON trading.positions (bot_id, symbol)`);
    await q.query(`CREATE INDEX idx_positions_opened_at ON trading.positions (opened_at)`);
    await q.query(`CREATE INDEX idx_positions_user_time ON trading.positions (user_id, opened_at DESC, id DESC)`);
    await q.query(
      `CREATE UNIQUE INDEX uq_positions_open ON trading.positions (user_id, bot_id, exchange, symbol) NULLS NOT DISTINCT WHERE status = 'open'`,
    );
    await q.query(`CREATE INDEX idx_positions_entry_trades ON trading.positions USING GIN (entry_trade_ids)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE trading.positions`);
  }
}
