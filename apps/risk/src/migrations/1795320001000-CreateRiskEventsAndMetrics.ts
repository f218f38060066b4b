import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * risk_events: the alpha catalogue's audit.risk_events, moved to the risk schema (risk owns them). Richer than the
 * seed: scope/user_id (limits exist per user and globally, so bot_id is nullable), limit_id (the breached limit,
 * kept when the limit is deleted as NULL), severity (warning before the limit, breach at it) and message.
 *
 * risk_metrics: the alpha catalogue's daily per-bot metrics (trading.risk_metrics), unchanged apart from uuid ids
 * and user_id; UNIQUE(bot_id, date) as in the seed.
 */
export class CreateRiskEventsAndMetrics1795320001000 implements MigrationInterface {
  name = 'CreateRiskEventsAndMetrics1795320001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE risk.risk_events (
        id UUID NOT NULL,
        event_time TIMESTAMPTZ NOT NULL DEFAULT now(),
        scope VARCHAR(10) NOT NULL,
        bot_id UUID,
        user_id UUID,
        limit_id UUID,
        risk_type VARCHAR(50) NOT NULL,
        current_value NUMERIC(20,8) NOT NULL,
        limit_value NUMERIC(20,8) NOT NULL,
        threshold_pct NUMERIC(5,2),
        severity VARCHAR(10) NOT NULL,
        action_taken VARCHAR(100) NOT NULL,
        message TEXT,
        positions_affected INTEGER NOT NULL DEFAULT 0,
        trades_cancelled INTEGER NOT NULL DEFAULT 0,
        resolved BOOLEAN NOT NULL DEFAULT false,
        resolved_at TIMESTAMPTZ,
        resolution_notes TEXT,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        CONSTRAINT pk_risk_events PRIMARY KEY (id),
        CONSTRAINT fk_risk_events_limit FOREIGN KEY (limit_id) REFERENCES risk.risk_limits (id) ON DELETE SET NULL,
        CONSTRAINT valid_scope CHECK (scope IN ('global', 'user', 'bot')),
        CONSTRAINT valid_scope_owner CHECK ((scope <> 'bot' OR bot_id IS NOT NULL) AND (scope <> 'user' OR user_id IS NOT NULL)),
        CONSTRAINT valid_severity CHECK (severity IN ('warning', 'breach')),
        CONSTRAINT valid_counts CHECK (positions_affected >= 0 AND trades_cancelled >= 0),
        CONSTRAINT valid_resolution CHECK (NOT resolved OR resolved_at IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX idx_risk_events_bot_id ON risk.risk_events (bot_id)`);
    await q.query(`CREATE INDEX idx_risk_events_user_id ON risk.risk_events (user_id)`);
    await q.query(`CREATE INDEX idx_risk_events_time ON risk.risk_events (event_time DESC)`);
    await q.query(`CREATE INDEX idx_risk_events_type ON risk.risk_events (risk_type)`);
    await q.query(`CREATE INDEX idx_risk_events_resolved ON risk.risk_events (resolved)`);
    await q.query(`CREATE INDEX idx_risk_events_limit_id ON risk.risk_events (limit_id) WHERE limit_id IS NOT NULL`);
    await q.query(`CREATE INDEX idx_risk_events_bot_time ON risk.risk_events (bot_id, event_time DESC, id DESC)`);

    await q.query(`
      CREATE TABLE risk.risk_metrics (
        id UUID NOT NULL,
        bot_id UUID NOT NULL,
        user_id UUID NOT NULL,
        date DATE NOT NULL,
        starting_equity NUMERIC(20,8) NOT NULL,
        ending_equity NUMERIC(20,8) NOT NULL,
        daily_pnl NUMERIC(20,8) NOT NULL DEFAULT 0,
        daily_pnl_pct NUMERIC(10,6) NOT NULL DEFAULT 0,
        daily_return NUMERIC(10,6) NOT NULL DEFAULT 0,
        total_trades INTEGER NOT NULL DEFAULT 0,
        winning_trades INTEGER NOT NULL DEFAULT 0,
        losing_trades INTEGER NOT NULL DEFAULT 0,
        breakeven_trades INTEGER NOT NULL DEFAULT 0,
        win_rate NUMERIC(5,4) NOT NULL DEFAULT 0,
        gross_profit NUMERIC(20,8) NOT NULL DEFAULT 0,
        gross_loss NUMERIC(20,8) NOT NULL DEFAULT 0,
        net_profit NUMERIC(20,8) NOT NULL DEFAULT 0,
        profit_factor NUMERIC(10,4) NOT NULL DEFAULT 0,
        avg_win NUMERIC(20,8) NOT NULL DEFAULT 0,
        avg_loss NUMERIC(20,8) NOT NULL DEFAULT 0,
        largest_win NUMERIC(20,8) NOT NULL DEFAULT 0,
        largest_loss NUMERIC(20,8) NOT NULL DEFAULT 0,
        max_drawdown NUMERIC(10,4) NOT NULL DEFAULT 0,
        max_drawdown_pct NUMERIC(10,6) NOT NULL DEFAULT 0,
        current_drawdown NUMERIC(10,4) NOT NULL DEFAULT 0,
        sharpe_ratio NUMERIC(10,4),
        sortino_ratio NUMERIC(10,4),
        calmar_ratio NUMERIC(10,4),
        avg_leverage NUMERIC(10,4),
        max_leverage NUMERIC(10,4),
        avg_position_size NUMERIC(20,8),
        max_exposure NUMERIC(20,8),
        avg_holding_time_hours NUMERIC(10,2),
        shortest_trade_hours NUMERIC(10,2),
        longest_trade_hours NUMERIC(10,2),
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        calculated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        CONSTRAINT pk_risk_metrics PRIMARY KEY (id),
        CONSTRAINT unique_bot_date UNIQUE (bot_id, date),
        CONSTRAINT valid_trade_counts CHECK (total_trades >= 0 AND winning_trades >= 0 AND losing_trades >= 0 AND breakeven_trades >= 0 AND winning_trades + losing_trades + breakeven_trades <= total_trades),
        CONSTRAINT valid_win_rate CHECK (win_rate >= 0 AND win_rate <= 1)
      )`);
    await q.query(`CREATE INDEX idx_risk_metrics_bot_id ON risk.risk_metrics (bot_id)`);
    await q.query(`CREATE INDEX idx_risk_metrics_date ON risk.risk_metrics (date DESC)`);
    await q.query(`CREATE INDEX idx_risk_metrics_bot_date ON risk.risk_metrics (bot_id, date DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE risk.risk_metrics`);
    await q.query(`DROP TABLE risk.risk_events`);
  }
}
