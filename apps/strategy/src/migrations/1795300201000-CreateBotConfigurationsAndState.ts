import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * bot_configurations: alpha's versioned configurations, one row per version holding the whole configuration
 * snapshot (alpha split it by config_key; a snapshot answers "what ran when" in one read). UNIQUE(bot_id,
 * version), and at most one open version (effective_until IS NULL) per bot.
 * bot_state: tradebot's restart-recovery state, keyed by bot (shared primary key), plus the short side
 * (min_price_since_entry, position_side), the last processed candle and a revision for compare-and-set writes.
 */
export class CreateBotConfigurationsAndState1795300201000 implements MigrationInterface {
  name = 'CreateBotConfigurationsAndState1795300201000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE strategy.bot_configurations (
        id UUID NOT NULL,
        bot_id UUID NOT NULL,
        version INTEGER NOT NULL,
        config JSONB NOT NULL,
        change_reason TEXT,
        effective_from TIMESTAMPTZ NOT NULL DEFAULT now(),
        effective_until TIMESTAMPTZ,
        created_by VARCHAR(100) NOT NULL DEFAULT 'system',
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        CONSTRAINT pk_bot_configurations PRIMARY KEY (id),
        CONSTRAINT uq_bot_configurations_bot_version UNIQUE (bot_id, version),
        CONSTRAINT fk_bot_configurations_bot FOREIGN KEY (bot_id) REFERENCES strategy.bots (id) ON DELETE CASCADE,
        CONSTRAINT chk_bot_configurations_version CHECK (version >= 1),
        CONSTRAINT chk_bot_configurations_period CHECK (effective_until IS NULL OR effective_until >= effective_from)
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_bot_configurations_current ON strategy.bot_configurations (bot_id) WHERE effective_until IS NULL`);

    await q.query(`
      CREATE TABLE strategy.bot_state (
        bot_id UUID NOT NULL,
        status VARCHAR(20) NOT NULL DEFAULT 'stopped',
        in_position BOOLEAN NOT NULL DEFAULT false,
        position_side VARCHAR(5),
        entry_price NUMERIC(20,8),
        position_size NUMERIC(20,8),
        trailing_stop_price NUMERIC(20,8),
        max_price_since_entry NUMERIC(20,8),
        min_price_since_entry NUMERIC(20,8),
        take_profit_price NUMERIC(20,8),
        stop_loss_price NUMERIC(20,8),
        daily_pnl NUMERIC(20,8) NOT NULL DEFAULT 0,
        daily_trades_count INTEGER NOT NULL DEFAULT 0,
        trading_day DATE,
        last_candle_time TIMESTAMPTZ,
        last_run_at TIMESTAMPTZ,
        last_error_message TEXT,
        state JSONB NOT NULL DEFAULT '{}',
        revision INTEGER NOT NULL DEFAULT 0,
        updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        CONSTRAINT pk_bot_state PRIMARY KEY (bot_id),
        CONSTRAINT fk_bot_state_bot FOREIGN KEY (bot_id) REFERENCES strategy.bots (id) ON DELETE CASCADE,
        CONSTRAINT chk_bot_state_status CHECK (status IN ('stopped', 'running', 'paused', 'archived', 'error')),
        CONSTRAINT chk_bot_state_position_side CHECK (position_side IS NULL OR position_side IN ('long', 'short')),
        CONSTRAINT chk_bot_state_position CHECK (NOT in_position OR (position_side IS NOT NULL AND entry_price IS NOT NULL AND position_size IS NOT NULL AND entry_price > 0 AND position_size > 0)),
        CONSTRAINT chk_bot_state_daily_trades CHECK (daily_trades_count >= 0)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE strategy.bot_state`);
    await q.query(`DROP TABLE strategy.bot_configurations`);
  }
}
