import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * strategies: trade-bot-scratch's table; user_id is nullable for built-in strategies, and UNIQUE(user_id, name)
 * uses NULLS NOT DISTINCT so built-in names are unique too.
 *
 * bots unifies scratch's trading_bots (capital, SL/TP %, position size %), alpha's bots registry (deployment
 * mode, status, current equity, max positions, leverage, daily/weekly loss and drawdown limits, heartbeat) and
 * tradebot's bot_configs (timeframe, trailing stop, daily target, max daily trades, spot/futures, leverage,
 * fixed position size, api key). Conflicts resolved toward the richer/safer form:
 *  - mode paper|live|backtest (alpha's 'demo' is 'paper'); status adds 'running' and 'error' to alpha's set,
 *    and alpha's 'active' is 'running';
 *  - every *_pct column is a percentage NUMERIC(5,2) (2.50 = 2.5 %) as in scratch; alpha's DECIMAL(5,4)
 *    fractions have the same 0.01 % resolution;
 *  - sizing is explicit (sizing_mode) and a CHECK requires the matching size column;
 *  - a live bot needs an api key (api_key_id references auth.user_api_keys by id, no cross-schema FK);
 *  - deleting a strategy that bots still use is refused (scratch cascaded, which would erase bot history).
 * The strategy's indicator parameters (tradebot's ema_fast, rsi_period, ... columns) live in strategy_params.
 */
export class CreateStrategiesAndBots1795300200000 implements MigrationInterface {
  name = 'CreateStrategiesAndBots1795300200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE strategy.strategies (
        id UUID NOT NULL,
        user_id UUID,
        name VARCHAR(100) NOT NULL,
        description TEXT,
        strategy_type VARCHAR(50) NOT NULL,
        parameters JSONB NOT NULL DEFAULT '{}',
        risk_settings JSONB NOT NULL DEFAULT '{}',
        is_active BOOLEAN NOT NULL DEFAULT false,
        is_backtested BOOLEAN NOT NULL DEFAULT false,
        backtest_results JSONB,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        CONSTRAINT pk_strategies PRIMARY KEY (id),
        CONSTRAINT uq_strategies_user_name UNIQUE NULLS NOT DISTINCT (user_id, name),
        CONSTRAINT chk_strategies_name CHECK (length(btrim(name)) > 0)
      )`);
    await q.query(`CREATE INDEX idx_strategies_user_id ON strategy.strategies (user_id)`);
    await q.query(`CREATE INDEX idx_strategies_type ON strategy.strategies (strategy_type)`);

    await q.query(`
      CREATE TABLE strategy.bots (
        id UUID NOT NULL,
        user_id UUID NOT NULL,
        strategy_id UUID NOT NULL,
        name VARCHAR(100) NOT NULL,
        description TEXT,
        exchange VARCHAR(50) NOT NULL,
        symbol VARCHAR(40) NOT NULL,
        timeframe VARCHAR(10) NOT NULL,
        mode VARCHAR(10) NOT NULL DEFAULT 'paper',
        market_type VARCHAR(10) NOT NULL DEFAULT 'spot',
        status VARCHAR(20) NOT NULL DEFAULT 'stopped',
        initial_capital NUMERIC(20,8) NOT NULL,
        current_equity NUMERIC(20,8),
        leverage INTEGER NOT NULL DEFAULT 1,
        sizing_mode VARCHAR(20) NOT NULL DEFAULT 'percent_equity',
        position_size_pct NUMERIC(5,2) DEFAULT 100,
        position_size_fixed NUMERIC(20,8),
        risk_per_trade_pct NUMERIC(5,2),
        stop_loss_pct NUMERIC(5,2),
        take_profit_pct NUMERIC(5,2),
        trailing_stop_pct NUMERIC(5,2),
        trailing_stop_active BOOLEAN NOT NULL DEFAULT false,
        daily_target_pct NUMERIC(5,2),
        max_daily_loss_pct NUMERIC(5,2),
        max_weekly_loss_pct NUMERIC(5,2),
        max_drawdown_pct NUMERIC(5,2),
        max_daily_trades INTEGER,
        max_positions INTEGER NOT NULL DEFAULT 1,
        check_interval_seconds INTEGER,
        api_key_id UUID,
        strategy_params JSONB NOT NULL DEFAULT '{}',
        risk_settings JSONB NOT NULL DEFAULT '{}',
        last_heartbeat TIMESTAMPTZ,
        started_at TIMESTAMPTZ,
        stopped_at TIMESTAMPTZ,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        CONSTRAINT pk_bots PRIMARY KEY (id),
        CONSTRAINT uq_bots_user_name UNIQUE (user_id, name),
        CONSTRAINT fk_bots_strategy FOREIGN KEY (strategy_id) REFERENCES strategy.strategies (id) ON DELETE RESTRICT,
        CONSTRAINT chk_bots_mode CHECK (mode IN ('paper', 'live', 'backtest')),
        CONSTRAINT chk_bots_market_type CHECK (market_type IN ('spot', 'futures')),
        CONSTRAINT chk_bots_status CHECK (status IN ('stopped', 'running', 'paused', 'archived', 'error')),
        CONSTRAINT chk_bots_capital CHECK (initial_capital > 0 AND (current_equity IS NULL OR current_equity >= 0)),
        CONSTRAINT chk_bots_leverage CHECK (leverage BETWEEN 1 AND 125 AND (market_type = 'futures' OR leverage = 1)),
        CONSTRAINT chk_bots_sizing_mode CHECK (sizing_mode IN ('percent_equity', 'fixed_quote', 'risk_per_trade')),
        CONSTRAINT chk_bots_sizing CHECK (
          (sizing_mode = 'percent_equity' AND position_size_pct IS NOT NULL) OR
          (sizing_mode = 'fixed_quote' AND position_size_fixed IS NOT NULL) OR
          (sizing_mode = 'risk_per_trade' AND risk_per_trade_pct IS NOT NULL AND stop_loss_pct IS NOT NULL)),
        CONSTRAINT chk_bots_position_size CHECK (
          (position_size_pct IS NULL OR (position_size_pct > 0 AND position_size_pct <= 100)) AND
          (position_size_fixed IS NULL OR position_size_fixed > 0) AND
          (risk_per_trade_pct IS NULL OR (risk_per_trade_pct > 0 AND risk_per_trade_pct <= 100))),
        CONSTRAINT chk_bots_exits CHECK (
          (stop_loss_pct IS NULL OR (stop_loss_pct > 0 AND stop_loss_pct < 100)) AND
          (take_profit_pct IS NULL OR take_profit_pct > 0) AND
          (trailing_stop_pct IS NULL OR (trailing_stop_pct > 0 AND trailing_stop_pct < 100)) AND
          (NOT trailing_stop_active OR trailing_stop_pct IS NOT NULL)),
        CONSTRAINT chk_bots_loss_limits CHECK (
          (daily_target_pct IS NULL OR daily_target_pct > 0) AND
          (max_daily_loss_pct IS NULL OR (max_daily_loss_pct > 0 AND max_daily_loss_pct <= 100)) AND
          (max_weekly_loss_pct IS NULL OR (max_weekly_loss_pct > 0 AND max_weekly_loss_pct <= 100)) AND
          (max_drawdown_pct IS NULL OR (max_drawdown_pct > 0 AND max_drawdown_pct <= 100))),
        CONSTRAINT chk_bots_counts CHECK (
          max_positions >= 1 AND (max_daily_trades IS NULL OR max_daily_trades >= 1) AND
          (check_interval_seconds IS NULL OR check_interval_seconds >= 1)),
        CONSTRAINT chk_bots_live_api_key CHECK (mode <> 'live' OR api_key_id IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX idx_bots_user_created ON strategy.bots (user_id, created_at)`);
    await q.query(`CREATE INDEX idx_bots_strategy_id ON strategy.bots (strategy_id)`);
    await q.query(`CREATE INDEX idx_bots_status ON strategy.bots (status)`);
    // A closed candle wakes the running bots of its market.
    await q.query(`CREATE INDEX idx_bots_running_market ON strategy.bots (exchange, symbol, timeframe) WHERE status = 'running'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE strategy.bots`);
    await q.query(`DROP TABLE strategy.strategies`);
  }
}
