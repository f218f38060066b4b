import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The read model analytics fills from events (it never reads another service's schema):
 * trade_facts (one row per TradeExecuted), position_facts (the current position per user, bot, exchange and
 * symbol from PositionChanged; a closed position keeps its last size with status 'closed', like
 * trading.positions), bot_facts (from BotStatusChanged; name and strategy arrive with other bot events, so they
 * are nullable) and risk_event_facts (from RiskLimitBreached, for the system health view).
 * bot_id is nullable where the contracts allow manual (bot-less) trading.
 */
export class CreateReadModelTables1795330000000 implements MigrationInterface {
  name = 'CreateReadModelTables1795330000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE analytics.trade_facts (
        id UUID NOT NULL,
        trade_id UUID NOT NULL,
        order_id UUID,
        bot_id UUID,
        user_id UUID NOT NULL,
        strategy VARCHAR(50),
        exchange VARCHAR(50) NOT NULL,
        symbol VARCHAR(30) NOT NULL,
        mode VARCHAR(10) NOT NULL DEFAULT 'live',
        side VARCHAR(4) NOT NULL,
        price NUMERIC(20,8) NOT NULL,
        quantity NUMERIC(20,8) NOT NULL,
        fee NUMERIC(20,8) NOT NULL DEFAULT 0,
        fee_currency VARCHAR(20),
        realized_pnl NUMERIC(20,8) NOT NULL DEFAULT 0,
        executed_at TIMESTAMPTZ NOT NULL,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        CONSTRAINT pk_trade_facts PRIMARY KEY (id),
        CONSTRAINT uq_trade_facts_trade_id UNIQUE (trade_id),
        CONSTRAINT valid_mode CHECK (mode IN ('live', 'paper')),
        CONSTRAINT valid_side CHECK (side IN ('buy', 'sell')),
        CONSTRAINT positive_price CHECK (price > 0),
        CONSTRAINT positive_quantity CHECK (quantity > 0),
        CONSTRAINT valid_fee CHECK (fee >= 0)
      )`);
    await q.query(`CREATE INDEX idx_trade_facts_executed_at ON analytics.trade_facts (executed_at DESC)`);
    await q.query(`CREATE INDEX idx_trade_facts_bot_time ON analytics.trade_facts (bot_id, executed_at DESC, id DESC)`);
    await q.query(
      `CREATE INDEX idx_trade_facts_user_time ON analytics.trade_facts (user_id, executed_at DESC, id DESC)`,
    );

    await q.query(`
      CREATE TABLE analytics.position_facts (
        id UUID NOT NULL,
        user_id UUID NOT NULL,
        bot_id UUID,
        exchange VARCHAR(50) NOT NULL,
        symbol VARCHAR(30) NOT NULL,
        mode VARCHAR(10) NOT NULL DEFAULT 'live',
        side VARCHAR(5) NOT NULL,
        size NUMERIC(20,8) NOT NULL,
        avg_entry_price NUMERIC(20,8) NOT NULL,
        current_price NUMERIC(20,8),
        unrealized_pnl NUMERIC(20,8) NOT NULL DEFAULT 0,
        unrealized_pnl_pct NUMERIC(10,6),
        realized_pnl NUMERIC(28,8) NOT NULL DEFAULT 0,
        leverage INTEGER NOT NULL DEFAULT 1,
        status VARCHAR(20) NOT NULL DEFAULT 'open',
        last_trade_id UUID,
        opened_at TIMESTAMPTZ NOT NULL,
        closed_at TIMESTAMPTZ,
        changed_at TIMESTAMPTZ NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        CONSTRAINT pk_position_facts PRIMARY KEY (id),
        CONSTRAINT uq_position_facts_key UNIQUE NULLS NOT DISTINCT (user_id, bot_id, exchange, symbol),
        CONSTRAINT valid_mode CHECK (mode IN ('live', 'paper')),
        CONSTRAINT valid_side CHECK (side IN ('long', 'short')),
        CONSTRAINT valid_status CHECK (status IN ('open', 'partially_closed', 'closed', 'liquidated')),
        CONSTRAINT positive_size CHECK (size > 0),
        CONSTRAINT positive_entry_price CHECK (avg_entry_price > 0),
        CONSTRAINT valid_leverage CHECK (leverage >= 1)
      )`);
    await q.query(`CREATE INDEX idx_position_facts_bot_id ON analytics.position_facts (bot_id)`);
    await q.query(`CREATE INDEX idx_position_facts_open ON analytics.position_facts (user_id) WHERE status = 'open'`);

    await q.query(`
      CREATE TABLE analytics.bot_facts (
        bot_id UUID NOT NULL,
        user_id UUID NOT NULL,
        name VARCHAR(100),
        strategy VARCHAR(50),
        mode VARCHAR(10),
        status VARCHAR(20) NOT NULL,
        current_equity NUMERIC(20,8),
        changed_at TIMESTAMPTZ NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        CONSTRAINT pk_bot_facts PRIMARY KEY (bot_id),
        CONSTRAINT valid_mode CHECK (mode IS NULL OR mode IN ('live', 'paper', 'backtest')),
        CONSTRAINT valid_status CHECK (status IN ('created', 'running', 'paused', 'stopped', 'halted', 'error', 'archived'))
      )`);
    await q.query(`CREATE INDEX idx_bot_facts_user_id ON analytics.bot_facts (user_id)`);
    await q.query(`CREATE INDEX idx_bot_facts_status ON analytics.bot_facts (status)`);

    await q.query(`
      CREATE TABLE analytics.risk_event_facts (
        id UUID NOT NULL,
        scope VARCHAR(10) NOT NULL,
        scope_id UUID,
        user_id UUID,
        limit_type VARCHAR(40) NOT NULL,
        action VARCHAR(20) NOT NULL,
        current_value NUMERIC(20,8) NOT NULL,
        limit_value NUMERIC(20,8) NOT NULL,
        message TEXT,
        breached_at TIMESTAMPTZ NOT NULL,
        resolved BOOLEAN NOT NULL DEFAULT false,
        resolved_at TIMESTAMPTZ,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        CONSTRAINT pk_risk_event_facts PRIMARY KEY (id),
        CONSTRAINT valid_scope CHECK (scope IN ('global', 'user', 'bot'))
      )`);
    await q.query(
      `CREATE INDEX idx_risk_event_facts_unresolved ON analytics.risk_event_facts (breached_at DESC) WHERE NOT resolved`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE analytics.risk_event_facts`);
    await q.query(`DROP TABLE analytics.bot_facts`);
    await q.query(`DROP TABLE analytics.position_facts`);
    await q.query(`DROP TABLE analytics.trade_facts`);
  }
}
