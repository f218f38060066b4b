import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * signals: alpha's signals table (signal_type, strength/confidence CHECKs in [0,1], suggested SL/TP/size,
 * filters, rejection, execution, outcome) keyed by a deterministic id computed by the strategy service, so a
 * re-processed candle yields the same signal; UNIQUE(bot_id, candle_time, target) makes that hold even if two
 * replicas race. signals-reader's trading_signals adds valid_until, market_conditions and the reasoning
 * (reason_codes). Alpha's low-selectivity indexes on executed/symbol alone are replaced by composite ones used
 * for paging by bot and by user.
 */
export class CreateSignals1795300202000 implements MigrationInterface {
  name = 'CreateSignals1795300202000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE strategy.signals (
        id UUID NOT NULL,
        bot_id UUID NOT NULL,
        user_id UUID NOT NULL,
        strategy VARCHAR(50) NOT NULL,
        exchange VARCHAR(50) NOT NULL,
        symbol VARCHAR(40) NOT NULL,
        timeframe VARCHAR(10) NOT NULL,
        candle_time TIMESTAMPTZ NOT NULL,
        signal_type VARCHAR(20) NOT NULL,
        target VARCHAR(5) NOT NULL,
        strength NUMERIC(5,4) NOT NULL DEFAULT 1,
        confidence NUMERIC(5,4),
        price NUMERIC(20,8) NOT NULL,
        suggested_stop_loss NUMERIC(20,8),
        suggested_take_profit NUMERIC(20,8),
        suggested_position_size NUMERIC(20,8),
        valid_until TIMESTAMPTZ,
        indicators JSONB,
        market_conditions JSONB,
        passed_filters JSONB,
        rejected BOOLEAN NOT NULL DEFAULT false,
        rejection_reason VARCHAR(100),
        reason_codes TEXT[] NOT NULL DEFAULT '{}',
        executed BOOLEAN NOT NULL DEFAULT false,
        execution_time TIMESTAMPTZ,
        execution_order_id VARCHAR(100),
        outcome VARCHAR(20),
        outcome_pnl NUMERIC(20,8),
        notes TEXT,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        CONSTRAINT pk_signals PRIMARY KEY (id),
        CONSTRAINT uq_signals_bot_candle_target UNIQUE (bot_id, candle_time, target),
        CONSTRAINT fk_signals_bot FOREIGN KEY (bot_id) REFERENCES strategy.bots (id) ON DELETE CASCADE,
        CONSTRAINT chk_signals_signal_type CHECK (signal_type IN ('long', 'short', 'close_long', 'close_short', 'hold')),
        CONSTRAINT chk_signals_target CHECK (target IN ('long', 'short', 'flat')),
        CONSTRAINT chk_signals_strength CHECK (strength >= 0 AND strength <= 1),
        CONSTRAINT chk_signals_confidence CHECK (confidence IS NULL OR (confidence >= 0 AND confidence <= 1)),
        CONSTRAINT chk_signals_price CHECK (price > 0),
        CONSTRAINT chk_signals_rejection CHECK (NOT rejected OR rejection_reason IS NOT NULL),
        CONSTRAINT chk_signals_executed CHECK (NOT (executed AND rejected)),
        CONSTRAINT chk_signals_outcome CHECK (outcome IS NULL OR outcome IN ('winner', 'loser', 'breakeven', 'not_executed'))
      )`);
    await q.query(`CREATE INDEX idx_signals_user_created ON strategy.signals (user_id, created_at)`);
    await q.query(`CREATE INDEX idx_signals_market_candle ON strategy.signals (exchange, symbol, candle_time)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE strategy.signals`);
  }
}
