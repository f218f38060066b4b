import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * trading_pairs unifies trade-bot-scratch (min/max order size, precisions, UNIQUE(symbol, base, exchange)) and
 * signals-reader (quote currency, maker/taker fee DECIMAL(6,4), UNIQUE(symbol, exchange)); the richer shape
 * keeps both and adds the exchange filters the engine needs to round orders (tick/step size, min notional).
 * Symbols are unified ccxt symbols ('BTC/USDT'), so UNIQUE(exchange, symbol) identifies a market.
 * tickers: scratch's table keyed by (exchange, symbol); change is the absolute price change as NUMERIC(20,8)
 * (scratch had DECIMAL(10,4), too coarse for low-priced coins), percentage keeps DECIMAL(10,4).
 */
export class CreateTradingPairsAndTickers1795300100000 implements MigrationInterface {
  name = 'CreateTradingPairsAndTickers1795300100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE market.trading_pairs (
        id UUID NOT NULL,
        exchange VARCHAR(50) NOT NULL,
        symbol VARCHAR(40) NOT NULL,
        base VARCHAR(20) NOT NULL,
        quote VARCHAR(20) NOT NULL,
        market_type VARCHAR(10) NOT NULL DEFAULT 'spot',
        exchange_symbol VARCHAR(40),
        is_active BOOLEAN NOT NULL DEFAULT true,
        price_precision INTEGER NOT NULL DEFAULT 8,
        quantity_precision INTEGER NOT NULL DEFAULT 8,
        tick_size NUMERIC(20,8),
        step_size NUMERIC(20,8),
        min_order_size NUMERIC(20,8),
        max_order_size NUMERIC(20,8),
        min_notional NUMERIC(20,8),
        maker_fee NUMERIC(6,4) NOT NULL DEFAULT 0.001,
        taker_fee NUMERIC(6,4) NOT NULL DEFAULT 0.001,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        CONSTRAINT pk_trading_pairs PRIMARY KEY (id),
        CONSTRAINT uq_trading_pairs_exchange_symbol UNIQUE (exchange, symbol),
        CONSTRAINT chk_trading_pairs_symbol CHECK (symbol = base || '/' || quote OR symbol LIKE base || '/' || quote || ':%'),
        CONSTRAINT chk_trading_pairs_market_type CHECK (market_type IN ('spot', 'futures')),
        CONSTRAINT chk_trading_pairs_precision CHECK (price_precision BETWEEN 0 AND 18 AND quantity_precision BETWEEN 0 AND 18),
        CONSTRAINT chk_trading_pairs_increments CHECK ((tick_size IS NULL OR tick_size > 0) AND (step_size IS NULL OR step_size > 0)),
        CONSTRAINT chk_trading_pairs_order_size CHECK ((min_order_size IS NULL OR min_order_size >= 0) AND (max_order_size IS NULL OR min_order_size IS NULL OR max_order_size >= min_order_size) AND (min_notional IS NULL OR min_notional >= 0)),
        CONSTRAINT chk_trading_pairs_fees CHECK (maker_fee > -1 AND maker_fee < 1 AND taker_fee >= 0 AND taker_fee < 1)
      )`);
    await q.query(`CREATE INDEX idx_trading_pairs_exchange_active ON market.trading_pairs (exchange, is_active)`);
    await q.query(`CREATE INDEX idx_trading_pairs_symbol ON market.trading_pairs (symbol)`);

    await q.query(`
      CREATE TABLE market.tickers (
        exchange VARCHAR(50) NOT NULL,
        symbol VARCHAR(40) NOT NULL,
        last NUMERIC(20,8) NOT NULL,
        bid NUMERIC(20,8),
        ask NUMERIC(20,8),
        high NUMERIC(20,8),
        low NUMERIC(20,8),
        base_volume NUMERIC(20,8),
        quote_volume NUMERIC(20,8),
        change NUMERIC(20,8),
        percentage NUMERIC(10,4),
        time TIMESTAMPTZ NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        CONSTRAINT pk_tickers PRIMARY KEY (exchange, symbol),
        CONSTRAINT chk_tickers_positive_prices CHECK (last > 0 AND (bid IS NULL OR bid > 0) AND (ask IS NULL OR ask > 0) AND (high IS NULL OR high > 0) AND (low IS NULL OR low > 0)),
        CONSTRAINT chk_tickers_non_negative_volume CHECK ((base_volume IS NULL OR base_volume >= 0) AND (quote_volume IS NULL OR quote_volume >= 0))
      )`);
    await q.query(`CREATE INDEX idx_tickers_symbol ON market.tickers (symbol)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE market.tickers`);
    await q.query(`DROP TABLE market.trading_pairs`);
  }
}
