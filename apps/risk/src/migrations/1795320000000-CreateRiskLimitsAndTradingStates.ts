import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * risk_limits generalises the alpha catalogue's per-bot limit columns (max_daily_loss_pct, max_weekly_loss_pct,
 * max_drawdown_pct, max_positions, leverage_limit on trading.bots) and tradebot's daily target / loss / max daily
 * trades / cooldown into one row per (scope, scope_id, limit_type), so limits exist per bot, per user and
 * globally. scope_id is NULL for the global scope; the UNIQUE constraint is NULLS NOT DISTINCT (PostgreSQL 15) so
 * the global scope can hold each limit type only once. value is in the limit's own unit (quote currency, percent
 * or count). warn_at_pcts are the fractions of the limit (in percent) at which a warning event is raised.
 *
 * trading_states holds the explicit ACTIVE | REDUCING | HALTED state per bot, per user and globally (the global
 * HALTED row is the kill switch), one row per scope.
 */
export class CreateRiskLimitsAndTradingStates1795320000000 implements MigrationInterface {
  name = 'CreateRiskLimitsAndTradingStates1795320000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE risk.risk_limits (
        id UUID NOT NULL,
        scope VARCHAR(10) NOT NULL,
        scope_id UUID,
        limit_type VARCHAR(40) NOT NULL,
        value NUMERIC(20,8) NOT NULL,
        action_on_breach VARCHAR(10) NOT NULL DEFAULT 'block',
        warn_at_pcts NUMERIC(5,2)[] NOT NULL DEFAULT '{80,95}',
        is_active BOOLEAN NOT NULL DEFAULT true,
        description TEXT,
        updated_by VARCHAR(100),
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        CONSTRAINT pk_risk_limits PRIMARY KEY (id),
        CONSTRAINT uq_risk_limits_scope_type UNIQUE NULLS NOT DISTINCT (scope, scope_id, limit_type),
        CONSTRAINT valid_scope CHECK (scope IN ('global', 'user', 'bot')),
        CONSTRAINT valid_scope_id CHECK ((scope = 'global') = (scope_id IS NULL)),
        CONSTRAINT valid_limit_type CHECK (limit_type IN ('max_position_size', 'max_position_pct', 'max_open_positions', 'max_exposure', 'max_leverage', 'max_daily_loss_pct', 'max_weekly_loss_pct', 'max_drawdown_pct', 'max_trades_per_day', 'daily_profit_target_pct', 'cooldown_after_stop_loss_minutes')),
        CONSTRAINT valid_action_on_breach CHECK (action_on_breach IN ('block', 'reduce', 'halt', 'flatten')),
        CONSTRAINT non_negative_value CHECK (value >= 0),
        CONSTRAINT valid_warn_at_pcts CHECK (0 < ALL (warn_at_pcts) AND 100 >= ALL (warn_at_pcts))
      )`);
    await q.query(`CREATE INDEX idx_risk_limits_scope ON risk.risk_limits (scope, scope_id) WHERE is_active`);

    await q.query(`
      CREATE TABLE risk.trading_states (
        id UUID NOT NULL,
        scope VARCHAR(10) NOT NULL,
        scope_id UUID,
        state VARCHAR(10) NOT NULL DEFAULT 'ACTIVE',
        reason TEXT,
        changed_by VARCHAR(100) NOT NULL,
        changed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        CONSTRAINT pk_trading_states PRIMARY KEY (id),
        CONSTRAINT uq_trading_states_scope UNIQUE NULLS NOT DISTINCT (scope, scope_id),
        CONSTRAINT valid_scope CHECK (scope IN ('global', 'user', 'bot')),
        CONSTRAINT valid_scope_id CHECK ((scope = 'global') = (scope_id IS NULL)),
        CONSTRAINT valid_state CHECK (state IN ('ACTIVE', 'REDUCING', 'HALTED'))
      )`);
    await q.query(
      `CREATE INDEX idx_trading_states_not_active ON risk.trading_states (scope, scope_id) WHERE state <> 'ACTIVE'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE risk.trading_states`);
    await q.query(`DROP TABLE risk.risk_limits`);
  }
}
