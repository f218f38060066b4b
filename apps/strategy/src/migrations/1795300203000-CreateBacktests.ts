import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * backtests: tradebot's table (capital, return, trade counts, win rate, fees, daily/monthly results, market
 * type) made a job: status queued|running|completed|failed with progress, start/end as timestamptz (tradebot
 * stored date strings), and the metrics scratch's performance_metrics adds (max drawdown, sharpe, profit
 * factor). Money is NUMERIC(20,8) where tradebot used floats; ratios NUMERIC(10,4), win rate NUMERIC(5,2) %.
 */
export class CreateBacktests1795300203000 implements MigrationInterface {
  name = 'CreateBacktests1795300203000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE strategy.backtests (
        id UUID NOT NULL,
        user_id UUID NOT NULL,
        bot_id UUID,
        strategy_id UUID,
        strategy VARCHAR(50) NOT NULL,
        params JSONB NOT NULL DEFAULT '{}',
        exchange VARCHAR(50) NOT NULL,
        symbol VARCHAR(40) NOT NULL,
        timeframe VARCHAR(10) NOT NULL,
        market_type VARCHAR(10) NOT NULL DEFAULT 'spot',
        start_time TIMESTAMPTZ NOT NULL,
        end_time TIMESTAMPTZ NOT NULL,
        status VARCHAR(20) NOT NULL DEFAULT 'queued',
        progress NUMERIC(5,2) NOT NULL DEFAULT 0,
        initial_capital NUMERIC(20,8) NOT NULL,
        final_capital NUMERIC(20,8),
        total_return NUMERIC(10,4),
        total_trades INTEGER,
        winning_trades INTEGER,
        losing_trades INTEGER,
        win_rate NUMERIC(5,2),
        total_fees NUMERIC(20,8),
        avg_profit NUMERIC(20,8),
        profit_factor NUMERIC(10,4),
        max_drawdown NUMERIC(10,4),
        sharpe_ratio NUMERIC(10,4),
        stats JSONB,
        equity_curve JSONB,
        trades JSONB,
        daily_results JSONB,
        monthly_results JSONB,
        error TEXT,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        started_at TIMESTAMPTZ,
        finished_at TIMESTAMPTZ,
        CONSTRAINT pk_backtests PRIMARY KEY (id),
        CONSTRAINT fk_backtests_bot FOREIGN KEY (bot_id) REFERENCES strategy.bots (id) ON DELETE SET NULL,
        CONSTRAINT fk_backtests_strategy FOREIGN KEY (strategy_id) REFERENCES strategy.strategies (id) ON DELETE SET NULL,
        CONSTRAINT chk_backtests_status CHECK (status IN ('queued', 'running', 'completed', 'failed')),
        CONSTRAINT chk_backtests_market_type CHECK (market_type IN ('spot', 'futures')),
        CONSTRAINT chk_backtests_period CHECK (end_time > start_time),
        CONSTRAINT chk_backtests_progress CHECK (progress >= 0 AND progress <= 100),
        CONSTRAINT chk_backtests_capital CHECK (initial_capital > 0 AND (final_capital IS NULL OR final_capital >= 0)),
        CONSTRAINT chk_backtests_trade_counts CHECK (
          (total_trades IS NULL OR total_trades >= 0) AND (winning_trades IS NULL OR winning_trades >= 0) AND
          (losing_trades IS NULL OR losing_trades >= 0) AND
          (total_trades IS NULL OR winning_trades IS NULL OR losing_trades IS NULL OR winning_trades + losing_trades <= total_trades)),
        CONSTRAINT chk_backtests_win_rate CHECK (win_rate IS NULL OR (win_rate >= 0 AND win_rate <= 100)),
        CONSTRAINT chk_backtests_completed CHECK (status <> 'completed' OR final_capital IS NOT NULL),
        CONSTRAINT chk_backtests_failed CHECK (status <> 'failed' OR error IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX idx_backtests_user_created ON strategy.backtests (user_id, created_at)`);
    await q.query(`CREATE INDEX idx_backtests_bot_id ON strategy.backtests (bot_id)`);
    await q.query(`CREATE INDEX idx_backtests_strategy_id ON strategy.backtests (strategy_id)`);
    // The worker claims the oldest queued job.
    await q.query(`CREATE INDEX idx_backtests_queued ON strategy.backtests (created_at) WHERE status = 'queued'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE strategy.backtests`);
  }
}
