import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Candles, partitioned by month of open_time (trade-bot-scratch's ohlcv_data_yYYYYmMM scheme). Unified columns:
 * scratch keyed by (timestamp, symbol, base, exchange, timeframe) and named prices open_price...; alpha added
 * trades_count, taker_buy_volume, data_source and the valid_ohlc CHECK. Richer choices: PK
 * (exchange, symbol, timeframe, open_time) with ccxt symbols (no separate base), plain open/high/low/close
 * names, positive-price and non-negative-volume CHECKs, source limited to the platform's writers. Alpha's derived
 * indicator columns (ema_20, rsi_14, ...) are left out: indicators are computed, cached in Redis, never stored
 * with the candle. The PK serves the seeds' (symbol, timeframe, time DESC) lookups.
 *
 * Rows of months without a partition land in ohlcv_default; market.ensure_ohlcv_partitions(from, months)
 * creates missing monthly partitions (UTC months) and first moves the matching rows out of the default
 * partition, since PostgreSQL refuses a new partition while the default holds rows for its range.
 */
export class CreatePartitionedOhlcv1795300101000 implements MigrationInterface {
  name = 'CreatePartitionedOhlcv1795300101000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE market.ohlcv (
        exchange VARCHAR(50) NOT NULL,
        symbol VARCHAR(40) NOT NULL,
        timeframe VARCHAR(10) NOT NULL,
        open_time TIMESTAMPTZ NOT NULL,
        open NUMERIC(20,8) NOT NULL,
        high NUMERIC(20,8) NOT NULL,
        low NUMERIC(20,8) NOT NULL,
        close NUMERIC(20,8) NOT NULL,
        volume NUMERIC(20,8) NOT NULL,
        quote_volume NUMERIC(20,8),
        trades_count INTEGER,
        taker_buy_volume NUMERIC(20,8),
        source VARCHAR(20) NOT NULL DEFAULT 'exchange',
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        CONSTRAINT pk_ohlcv PRIMARY KEY (exchange, symbol, timeframe, open_time),
        CONSTRAINT chk_ohlcv_valid_ohlc CHECK (high >= low AND high >= open AND high >= close AND low <= open AND low <= close),
        CONSTRAINT chk_ohlcv_positive_prices CHECK (open > 0 AND high > 0 AND low > 0 AND close > 0),
        CONSTRAINT chk_ohlcv_non_negative_volume CHECK (volume >= 0 AND (quote_volume IS NULL OR quote_volume >= 0) AND (taker_buy_volume IS NULL OR taker_buy_volume >= 0) AND (trades_count IS NULL OR trades_count >= 0)),
        CONSTRAINT chk_ohlcv_source CHECK (source IN ('exchange', 'replay', 'aggregated', 'backfill'))
      ) PARTITION BY RANGE (open_time)`);
    await q.query(`CREATE INDEX idx_ohlcv_open_time ON market.ohlcv (open_time)`);
    await q.query(`CREATE TABLE market.ohlcv_default PARTITION OF market.ohlcv DEFAULT`);
    await q.query(`
      CREATE FUNCTION market.ensure_ohlcv_partitions(p_from date, p_months integer)
      RETURNS integer
      LANGUAGE plpgsql
      AS $fn$
      DECLARE
        month_start date := date_trunc('month', p_from)::date;
        range_start timestamptz;
        range_end timestamptz;
        part text;
        created integer := 0;
      BEGIN
        IF p_months IS NULL OR p_months < 0 THEN
          RAISE EXCEPTION 'ensure_ohlcv_partitions: months must be >= 0, got %', p_months;
        END IF;
        -- Concurrent callers (several replicas, the daily job) take turns.
        PERFORM pg_advisory_xact_lock(hashtext('market.ensure_ohlcv_partitions'));
        FOR i IN 1 .. p_months LOOP
          range_start := month_start::timestamp AT TIME ZONE 'UTC';
          range_end := (month_start + interval '1 month')::timestamp AT TIME ZONE 'UTC';
          part := 'ohlcv_y' || to_char(month_start, 'YYYY') || 'm' || to_char(month_start, 'MM');
          IF to_regclass(format('market.%I', part)) IS NULL THEN
            EXECUTE format('CREATE TABLE market.%I (LIKE market.ohlcv INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part);
            EXECUTE format(
              'WITH moved AS (DELETE FROM market.ohlcv_default WHERE open_time >= %L AND open_time < %L RETURNING *) '
              'INSERT INTO market.%I SELECT * FROM moved',
              range_start, range_end, part);
            EXECUTE format('ALTER TABLE market.ohlcv ATTACH PARTITION market.%I FOR VALUES FROM (%L) TO (%L)',
              part, range_start, range_end);
            created := created + 1;
          END IF;
          month_start := (month_start + interval '1 month')::date;
        END LOOP;
        RETURN created;
      END
      $fn$`);
    // The current month and the next three; the daily OhlcvPartitionMaintenance job keeps the horizon ahead.
    await q.query(`SELECT market.ensure_ohlcv_partitions((now() AT TIME ZONE 'UTC')::date, 4)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION market.ensure_ohlcv_partitions(date, integer)`);
    await q.query(`DROP TABLE market.ohlcv`);
  }
}
