import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

export const DEFAULT_MONTHS_AHEAD = 3;

/** First day of the UTC month of `at`, as YYYY-MM-DD. */
export function utcMonthStart(at: Date): string {
  return `${at.getUTCFullYear()}-${String(at.getUTCMonth() + 1).padStart(2, '0')}-01`;
}

/** Name of the monthly partition holding candles opened in the UTC month of `at`, e.g. `ohlcv_y2026m11`. */
export function ohlcvPartitionName(at: Date): string {
  return `ohlcv_y${at.getUTCFullYear()}m${String(at.getUTCMonth() + 1).padStart(2, '0')}`;
}

/**
 * Keeps monthly OHLCV partitions created ahead of time (the service runs it daily). Candles of months
 * without a partition wait in market.ohlcv_default; creating the partition moves them in.
 */
@Injectable()
export class OhlcvPartitionMaintenance {
  private readonly logger = new Logger(OhlcvPartitionMaintenance.name);

  constructor(private readonly dataSource: DataSource) {}

  /** Ensures partitions for the current UTC month and the `monthsAhead` following. Returns how many were created. */
  async run(now: Date = new Date(), monthsAhead = DEFAULT_MONTHS_AHEAD): Promise<number> {
    if (!Number.isInteger(monthsAhead) || monthsAhead < 0) throw new Error(`monthsAhead must be a non-negative integer, got ${monthsAhead}`);
    const created = await this.ensureMonths(now, monthsAhead + 1);
    if (created) this.logger.log({ msg: 'created ohlcv partitions', created, from: utcMonthStart(now), months: monthsAhead + 1 });
    return created;
  }

  /** Ensures `months` monthly partitions starting with the UTC month of `from` (e.g. before a historical import). */
  async ensureMonths(from: Date, months: number): Promise<number> {
    const rows: { created: number }[] = await this.dataSource.query(`SELECT market.ensure_ohlcv_partitions($1::date, $2) AS created`, [utcMonthStart(from), months]);
    return rows[0].created;
  }

  /** Candles waiting in the default partition (months with no partition yet): worth a metric and an alert. */
  async defaultPartitionRowCount(): Promise<number> {
    const rows: { n: number }[] = await this.dataSource.query(`SELECT count(*)::int AS n FROM market.ohlcv_default`);
    return rows[0].n;
  }

  /** Existing monthly partitions, oldest first. */
  async listPartitions(): Promise<string[]> {
    const rows: { name: string }[] = await this.dataSource.query(
      `SELECT c.relname AS name
         FROM pg_inherits i
         JOIN pg_class c ON c.oid = i.inhrelid
         JOIN pg_class p ON p.oid = i.inhparent
         JOIN pg_namespace n ON n.oid = p.relnamespace
        WHERE n.nspname = 'market' AND p.relname = 'ohlcv' AND c.relname ~ '^ohlcv_y[0-9]{4}m[0-9]{2}$'
        ORDER BY c.relname`,
    );
    return rows.map((r) => r.name);
  }
}
