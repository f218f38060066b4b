import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * orders: the alpha catalogue's full lifecycle (purpose, retries, error code, metadata, partial active-orders
 * index) is the richer definition; from signals-reader it takes source (manual|strategy|stop_loss...),
 * portfolio_id, fee_currency and cancelled_at. The alpha's separate fees/commission collapse into fees.
 * client_order_id is UNIQUE NOT NULL (the signal id, or a generated id) so a retried submission cannot place a
 * second order. order_type accepts the alpha catalogue's values plus the contracts' stop_loss/take_profit.
 * bot_id is nullable because manual orders (signals-reader) have no bot; user_id always names the owner.
 *
 * trades: one row per fill. From alpha: trade_id UNIQUE, side/price/quantity CHECKs; from tradebot:
 * quote_quantity, commission (fee) and its asset, realized_pnl; from scratch: user_id, exchange, fee_currency.
 * The alpha's entry/exit round-trip columns live on positions instead. Symbols are VARCHAR(30), wider than the
 * seeds' 20, because ccxt spells derivatives with settle currency (1000PEPE/USDT:USDT is 18 already).
 */
export class CreateOrdersAndTrades1795310001000 implements MigrationInterface {
  name = 'CreateOrdersAndTrades1795310001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE trading.orders (
        id UUID NOT NULL,
        client_order_id VARCHAR(100) NOT NULL,
        exchange_order_id VARCHAR(100),
        signal_id UUID,
        bot_id UUID,
        user_id UUID NOT NULL,
        portfolio_id UUID,
        exchange VARCHAR(50) NOT NULL,
        symbol VARCHAR(30) NOT NULL,
        mode VARCHAR(10) NOT NULL DEFAULT 'live',
        source VARCHAR(20) NOT NULL DEFAULT 'strategy',
        order_type VARCHAR(20) NOT NULL,
        side VARCHAR(4) NOT NULL,
        quantity NUMERIC(20,8) NOT NULL,
        filled_quantity NUMERIC(20,8) NOT NULL DEFAULT 0,
        remaining_quantity NUMERIC(20,8),
        price NUMERIC(20,8),
        stop_price NUMERIC(20,8),
        avg_fill_price NUMERIC(20,8),
        status VARCHAR(20) NOT NULL DEFAULT 'pending',
        order_purpose VARCHAR(20),
        position_id UUID,
        fees NUMERIC(20,8) NOT NULL DEFAULT 0,
        fee_currency VARCHAR(20),
        rejection_reason TEXT,
        reason_codes TEXT[],
        error_code VARCHAR(50),
        retry_count INTEGER NOT NULL DEFAULT 0,
        order_metadata JSONB,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        submitted_at TIMESTAMPTZ,
        filled_at TIMESTAMPTZ,
        cancelled_at TIMESTAMPTZ,
        updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        CONSTRAINT pk_orders PRIMARY KEY (id),
        CONSTRAINT uq_orders_client_order_id UNIQUE (client_order_id),
        CONSTRAINT fk_orders_portfolio FOREIGN KEY (portfolio_id) REFERENCES trading.portfolios (id) ON DELETE SET NULL,
        CONSTRAINT valid_mode CHECK (mode IN ('live', 'paper')),
        CONSTRAINT valid_source CHECK (source IN ('strategy', 'manual', 'stop_loss', 'take_profit', 'trailing_stop', 'risk', 'reconcile')),
        CONSTRAINT valid_order_type CHECK (order_type IN ('market', 'limit', 'stop_market', 'stop_limit', 'trailing_stop', 'stop_loss', 'take_profit')),
        CONSTRAINT valid_side CHECK (side IN ('buy', 'sell')),
        CONSTRAINT valid_status CHECK (status IN ('pending', 'submitted', 'partially_filled', 'filled', 'cancelled', 'rejected', 'expired', 'failed')),
        CONSTRAINT valid_order_purpose CHECK (order_purpose IS NULL OR order_purpose IN ('entry', 'exit', 'stop_loss', 'take_profit', 'reduce_only', 'scale_in', 'scale_out')),
        CONSTRAINT positive_quantity CHECK (quantity > 0),
        CONSTRAINT valid_filled_quantity CHECK (filled_quantity >= 0 AND filled_quantity <= quantity),
        CONSTRAINT valid_prices CHECK ((price IS NULL OR price > 0) AND (stop_price IS NULL OR stop_price > 0)),
        CONSTRAINT valid_fees CHECK (fees >= 0),
        CONSTRAINT valid_retry_count CHECK (retry_count >= 0)
      )`);
    await q.query(`CREATE INDEX idx_orders_bot_id ON trading.orders (bot_id)`);
    await q.query(`CREATE INDEX idx_orders_symbol ON trading.orders (symbol)`);
    await q.query(`CREATE INDEX idx_orders_status ON trading.orders (status)`);
    await q.query(`CREATE INDEX idx_orders_exchange_id ON trading.orders (exchange_order_id)`);
    await q.query(`CREATE INDEX idx_orders_created_at ON trading.orders (created_at DESC)`);
    await q.query(`CREATE INDEX idx_orders_position_id ON trading.orders (position_id) WHERE position_id IS NOT NULL`);
    await q.query(
      `CREATE INDEX idx_orders_portfolio_id ON trading.orders (portfolio_id) WHERE portfolio_id IS NOT NULL`,
    );
    await q.query(`CREATE INDEX idx_orders_signal_id ON trading.orders (signal_id) WHERE signal_id IS NOT NULL`);
    await q.query(
      `CREATE INDEX idx_orders_active ON trading.orders (bot_id, symbol) WHERE status IN ('pending', 'submitted', 'partially_filled')`,
    );
    // Cursor pagination (newest first) per owner.
    await q.query(`CREATE INDEX idx_orders_user_time ON trading.orders (user_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX idx_orders_bot_time ON trading.orders (bot_id, created_at DESC, id DESC)`);

    await q.query(`
      CREATE TABLE trading.trades (
        id UUID NOT NULL,
        trade_id VARCHAR(100) NOT NULL,
        order_id UUID NOT NULL,
        bot_id UUID,
        user_id UUID NOT NULL,
        exchange VARCHAR(50) NOT NULL,
        symbol VARCHAR(30) NOT NULL,
        mode VARCHAR(10) NOT NULL DEFAULT 'live',
        side VARCHAR(4) NOT NULL,
        price NUMERIC(20,8) NOT NULL,
        quantity NUMERIC(20,8) NOT NULL,
        quote_quantity NUMERIC(20,8) NOT NULL,
        fee NUMERIC(20,8) NOT NULL DEFAULT 0,
        fee_currency VARCHAR(20),
        realized_pnl NUMERIC(20,8),
        liquidity VARCHAR(5),
        executed_at TIMESTAMPTZ NOT NULL,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        CONSTRAINT pk_trades PRIMARY KEY (id),
        CONSTRAINT uq_trades_trade_id UNIQUE (trade_id),
        CONSTRAINT fk_trades_order FOREIGN KEY (order_id) REFERENCES trading.orders (id) ON DELETE RESTRICT,
        CONSTRAINT valid_mode CHECK (mode IN ('live', 'paper')),
        CONSTRAINT valid_side CHECK (side IN ('buy', 'sell')),
        CONSTRAINT positive_quantity CHECK (quantity > 0),
        CONSTRAINT positive_price CHECK (price > 0),
        CONSTRAINT valid_fee CHECK (fee >= 0),
        CONSTRAINT valid_liquidity CHECK (liquidity IS NULL OR liquidity IN ('maker', 'taker'))
      )`);
    await q.query(`CREATE INDEX idx_trades_order_id ON trading.trades (order_id)`);
    await q.query(`CREATE INDEX idx_trades_bot_id ON trading.trades (bot_id)`);
    await q.query(`CREATE INDEX idx_trades_user_id ON trading.trades (user_id)`);
    await q.query(`CREATE INDEX idx_trades_symbol ON trading.trades (symbol, exchange)`);
    await q.query(`CREATE INDEX idx_trades_executed_at ON trading.trades (executed_at DESC)`);
    await q.query(`CREATE INDEX idx_trades_bot_time ON trading.trades (bot_id, executed_at DESC, id DESC)`);
    await q.query(`CREATE INDEX idx_trades_user_time ON trading.trades (user_id, executed_at DESC, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE trading.trades`);
    await q.query(`DROP TABLE trading.orders`);
  }
}
