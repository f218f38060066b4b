import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * performance_metrics: trade-bot-scratch's table (user/bot/strategy, period, win rate in percent, avg win/loss,
 * profit factor, drawdown, sharpe, total return) enriched with the alpha catalogue's sortino/calmar and an
 * expectancy; strategy is a name (strategies live in another schema). One row per (user, bot, strategy, period,
 * period_start), NULLS NOT DISTINCT so user-wide rows (bot and strategy NULL) are unique too.
 * portfolio_snapshots: the alpha catalogue's aggregate (equity, balance, margin, leverage, VaR, bot counts,
 * daily/weekly/monthly pnl, bot_metrics) plus scratch's user_id, asset_allocation and total_pnl_percent; scratch's
 * UNIQUE(user_id, snapshot_date) becomes UNIQUE(user_id, bot_id, timestamp) because snapshots are periodic, not daily.
 * equity_points: the equity curve per bot. daily_performance: per bot and UTC day, kept as a table (updated per
 * trade) next to the seed's materialized daily summary.
 * Sums over many trades (realized/total pnl, fees) are NUMERIC(28,8) so a busy bot's totals cannot overflow the
 * 12 integer digits of NUMERIC(20,8).
 */
export class CreatePerformanceTables1795330001000 implements MigrationInterface {
  name = 'CreatePerformanceTables1795330001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE analytics.performance_metrics (
        id UUID NOT NULL,
        user_id UUID NOT NULL,
        bot_id UUID,
        strategy VARCHAR(50),
        period VARCHAR(10) NOT NULL,
        period_start DATE NOT NULL,
        period_end DATE NOT NULL,
        total_trades INTEGER NOT NULL DEFAULT 0,
        winning_trades INTEGER NOT NULL DEFAULT 0,
        losing_trades INTEGER NOT NULL DEFAULT 0,
        win_rate NUMERIC(5,2),
        avg_win NUMERIC(20,8),
        avg_loss NUMERIC(20,8),
        profit_factor NUMERIC(10,4),
        expectancy NUMERIC(20,8),
        total_pnl NUMERIC(28,8) NOT NULL DEFAULT 0,
        total_fees NUMERIC(28,8) NOT NULL DEFAULT 0,
        max_drawdown NUMERIC(10,4),
        sharpe_ratio NUMERIC(10,4),
        sortino_ratio NUMERIC(10,4),
        calmar_ratio NUMERIC(10,4),
        total_return NUMERIC(10,4),
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        CONSTRAINT pk_performance_metrics PRIMARY KEY (id),
        CONSTRAINT uq_performance_metrics_period UNIQUE NULLS NOT DISTINCT (user_id, bot_id, strategy, period, period_start),
        CONSTRAINT valid_period CHECK (period IN ('day', 'overall')),
        CONSTRAINT valid_period_range CHECK (period_end >= period_start),
        CONSTRAINT valid_trade_counts CHECK (total_trades >= 0 AND winning_trades >= 0 AND losing_trades >= 0 AND winning_trades + losing_trades <= total_trades),
        CONSTRAINT valid_win_rate CHECK (win_rate IS NULL OR (win_rate >= 0 AND win_rate <= 100))
      )`);
    await q.query(`CREATE INDEX idx_performance_metrics_user_id ON analytics.performance_metrics (user_id)`);
    await q.query(`CREATE INDEX idx_performance_metrics_bot_id ON analytics.performance_metrics (bot_id)`);

    await q.query(`
      CREATE TABLE analytics.portfolio_snapshots (
        id UUID NOT NULL,
        user_id UUID NOT NULL,
        bot_id UUID,
        "timestamp" TIMESTAMPTZ NOT NULL DEFAULT now(),
        total_equity NUMERIC(20,8) NOT NULL,
        total_balance NUMERIC(20,8) NOT NULL,
        total_unrealized_pnl NUMERIC(20,8) NOT NULL DEFAULT 0,
        total_realized_pnl NUMERIC(28,8) NOT NULL DEFAULT 0,
        total_pnl_percent NUMERIC(10,4),
        total_margin_used NUMERIC(20,8) NOT NULL DEFAULT 0,
        portfolio_leverage NUMERIC(10,4),
        portfolio_exposure NUMERIC(20,8),
        portfolio_var_95 NUMERIC(20,8),
        active_bots INTEGER NOT NULL DEFAULT 0,
        bots_in_trade INTEGER NOT NULL DEFAULT 0,
        total_open_positions INTEGER NOT NULL DEFAULT 0,
        daily_pnl NUMERIC(20,8) NOT NULL DEFAULT 0,
        weekly_pnl NUMERIC(20,8) NOT NULL DEFAULT 0,
        monthly_pnl NUMERIC(20,8) NOT NULL DEFAULT 0,
        asset_allocation JSONB NOT NULL DEFAULT '{}',
        bot_metrics JSONB,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        CONSTRAINT pk_portfolio_snapshots PRIMARY KEY (id),
        CONSTRAINT uq_portfolio_snapshots_time UNIQUE NULLS NOT DISTINCT (user_id, bot_id, "timestamp"),
        CONSTRAINT valid_counts CHECK (active_bots >= 0 AND bots_in_trade >= 0 AND total_open_positions >= 0)
      )`);
    await q.query(`CREATE INDEX idx_portfolio_timestamp ON analytics.portfolio_snapshots ("timestamp" DESC)`);
    await q.query(
      `CREATE INDEX idx_portfolio_snapshots_user_time ON analytics.portfolio_snapshots (user_id, "timestamp" DESC, id DESC)`,
    );

    await q.query(`
      CREATE TABLE analytics.equity_points (
        bot_id UUID NOT NULL,
        "time" TIMESTAMPTZ NOT NULL,
        equity NUMERIC(20,8) NOT NULL,
        CONSTRAINT pk_equity_points PRIMARY KEY (bot_id, "time")
      )`);

    await q.query(`
      CREATE TABLE analytics.daily_performance (
        id UUID NOT NULL,
        bot_id UUID NOT NULL,
        user_id UUID NOT NULL,
        date DATE NOT NULL,
        trades INTEGER NOT NULL DEFAULT 0,
        wins INTEGER NOT NULL DEFAULT 0,
        losses INTEGER NOT NULL DEFAULT 0,
        pnl NUMERIC(28,8) NOT NULL DEFAULT 0,
        fees NUMERIC(28,8) NOT NULL DEFAULT 0,
        updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        CONSTRAINT pk_daily_performance PRIMARY KEY (id),
        CONSTRAINT uq_daily_performance_bot_date UNIQUE (bot_id, date),
        CONSTRAINT valid_counts CHECK (trades >= 0 AND wins >= 0 AND losses >= 0 AND wins + losses <= trades),
        CONSTRAINT valid_fees CHECK (fees >= 0)
      )`);
    await q.query(`CREATE INDEX idx_daily_performance_user_date ON analytics.daily_performance (user_id, date DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE analytics.daily_performance`);
    await q.query(`DROP TABLE analytics.equity_points`);
    await q.query(`DROP TABLE analytics.portfolio_snapshots`);
    await q.query(`DROP TABLE analytics.performance_metrics`);
  }
}
