import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { CandleSource, OhlcvEntity } from './ohlcv.entity';

export interface CandleRow {
  exchange: string;
  symbol: string;
  timeframe: string;
  openTime: Date;
  /** Decimal strings, exact. */
  open: string;
  high: string;
  low: string;
  close: string;
  volume: string;
  quoteVolume?: string | null;
  tradesCount?: number | null;
  takerBuyVolume?: string | null;
  source?: CandleSource;
}

export interface CandleSeries {
  exchange: string;
  symbol: string;
  timeframe: string;
}

export interface CandleKey extends CandleSeries {
  openTime: Date;
}

/** An aggregated candle `reaggregate` wrote; `existed`: it was stored before (a correction), not new. */
export interface ReaggregatedRow extends CandleKey {
  readonly open: string;
  readonly high: string;
  readonly low: string;
  readonly close: string;
  readonly volume: string;
  readonly existed: boolean;
}

export interface CandleRangeQuery extends CandleSeries {
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
  /** Open time of the last candle of the previous page. */
  after?: Date;
  limit?: number;
}

export interface CandlePage {
  readonly items: OhlcvEntity[];
  /** Pass as `after` for the next page; null on the last page. */
  readonly next: Date | null;
}

export const DEFAULT_INSERT_CHUNK = 5000;
export const MAX_CANDLE_PAGE = 5000;

/**
 * One statement per chunk with one array parameter per column (unnest), so the statement text and the
 * parameter count stay the same whatever the chunk size.
 */
const INSERT_SQL = `
  INSERT INTO market.ohlcv
    (exchange, symbol, timeframe, open_time, open, high, low, close, volume, quote_volume, trades_count, taker_buy_volume, source)
  SELECT * FROM unnest(
    $1::varchar[], $2::varchar[], $3::varchar[], $4::timestamptz[],
    $5::numeric[], $6::numeric[], $7::numeric[], $8::numeric[], $9::numeric[],
    $10::numeric[], $11::integer[], $12::numeric[], $13::varchar[])
  ON CONFLICT (exchange, symbol, timeframe, open_time) DO NOTHING`;

@Injectable()
export class CandleRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Inserts candles, skipping those already stored (same series and open time). Returns how many were new. */
  async insertMany(candles: readonly CandleRow[], chunkSize = DEFAULT_INSERT_CHUNK): Promise<number> {
    let inserted = 0;
    await this.inChunks(candles, chunkSize, this.dataSource.manager, async (runner, params) => {
      inserted += (await runner.query(INSERT_SQL, params, true)).affected ?? 0;
    });
    return inserted;
  }

  /**
   * Like insertMany, but returns the keys of the candles that were new (only those are worth publishing).
   * With `manager`, inside the caller's transaction.
   */
  async insertNew(candles: readonly CandleRow[], manager: EntityManager = this.dataSource.manager, chunkSize = DEFAULT_INSERT_CHUNK): Promise<CandleKey[]> {
    const keys: CandleKey[] = [];
    await this.inChunks(candles, chunkSize, manager, async (runner, params) => {
      const rows: { exchange: string; symbol: string; timeframe: string; open_time: Date }[] = await runner.query(`${INSERT_SQL} RETURNING exchange, symbol, timeframe, open_time`, params);
      for (const r of rows) keys.push({ exchange: r.exchange, symbol: r.symbol, timeframe: r.timeframe, openTime: r.open_time });
    });
    return keys;
  }

  /** Runs the chunks on one connection: the caller's transaction, or one checked out for them all. */
  private async inChunks(candles: readonly CandleRow[], chunkSize: number, manager: EntityManager, run: (runner: QueryRunner, params: unknown[]) => Promise<void>): Promise<void> {
    if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new Error(`chunk size must be a positive integer, got ${chunkSize}`);
    if (!candles.length) return;
    const own = manager.queryRunner;
    if (own) {
      for (let i = 0; i < candles.length; i += chunkSize) await run(own, columnsOf(candles.slice(i, i + chunkSize)));
      return;
    }
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      for (let i = 0; i < candles.length; i += chunkSize) await run(runner, columnsOf(candles.slice(i, i + chunkSize)));
    } finally {
      await runner.release();
    }
  }

  /**
   * Rebuilds higher-timeframe candles from the stored base candles of `base` (PostgreSQL is the truth for
   * aggregated candles). For each bucket [start, end) with at least one stored base candle: a `passed` bucket
   * (its last base candle or a later one has arrived) is inserted, or updated when it differs; a bucket still
   * open is only updated, and only when a row already exists. Rows another writer stored (`source` other than
   * `aggregated`, e.g. an exchange's own 5m candles) are never overwritten. One statement; returns the rows
   * inserted or changed, and whether each existed before. With `manager`, inside the caller's transaction.
   */
  async reaggregate(
    base: CandleSeries,
    buckets: readonly { timeframe: string; start: number; end: number; passed: boolean }[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ReaggregatedRow[]> {
    if (!buckets.length) return [];
    const rows: { timeframe: string; open_time: Date; open: string; high: string; low: string; close: string; volume: string; existed: boolean }[] = await manager.query(
      `WITH bucket AS (
         SELECT b.timeframe, b.open_time, b.close_time, (s.open_time IS NOT NULL) AS existed
           FROM unnest($4::varchar[], $5::timestamptz[], $6::timestamptz[], $7::boolean[]) AS b(timeframe, open_time, close_time, passed)
           LEFT JOIN market.ohlcv s ON s.exchange = $1 AND s.symbol = $2 AND s.timeframe = b.timeframe AND s.open_time = b.open_time
          WHERE b.passed OR s.open_time IS NOT NULL
       ), rebuilt AS (
         SELECT b.timeframe, b.open_time, b.existed, a.open, a.high, a.low, a.close, a.volume
           FROM bucket b
           CROSS JOIN LATERAL (
             SELECT (array_agg(c.open ORDER BY c.open_time))[1] AS open, max(c.high) AS high, min(c.low) AS low,
                    (array_agg(c.close ORDER BY c.open_time DESC))[1] AS close, sum(c.volume) AS volume, count(*) AS n
               FROM market.ohlcv c
              WHERE c.exchange = $1 AND c.symbol = $2 AND c.timeframe = $3 AND c.open_time >= b.open_time AND c.open_time < b.close_time
           ) a
          WHERE a.n > 0
       ), written AS (
         INSERT INTO market.ohlcv AS o (exchange, symbol, timeframe, open_time, open, high, low, close, volume, source)
         SELECT $1, $2, timeframe, open_time, open, high, low, close, volume, 'aggregated' FROM rebuilt
         ON CONFLICT (exchange, symbol, timeframe, open_time) DO UPDATE
            SET open = EXCLUDED.open, high = EXCLUDED.high, low = EXCLUDED.low, close = EXCLUDED.close, volume = EXCLUDED.volume
          WHERE o.source = 'aggregated'
            AND (o.open, o.high, o.low, o.close, o.volume) IS DISTINCT FROM (EXCLUDED.open, EXCLUDED.high, EXCLUDED.low, EXCLUDED.close, EXCLUDED.volume)
         RETURNING o.timeframe, o.open_time, o.open, o.high, o.low, o.close, o.volume
       )
       SELECT w.*, r.existed FROM written w JOIN rebuilt r USING (timeframe, open_time)
        ORDER BY w.open_time, w.timeframe`,
      [base.exchange, base.symbol, base.timeframe, buckets.map((b) => b.timeframe), buckets.map((b) => new Date(b.start)), buckets.map((b) => new Date(b.end)), buckets.map((b) => b.passed)],
    );
    return rows.map((r) => ({
      exchange: base.exchange,
      symbol: base.symbol,
      timeframe: r.timeframe,
      openTime: r.open_time,
      open: r.open,
      high: r.high,
      low: r.low,
      close: r.close,
      volume: r.volume,
      existed: r.existed,
    }));
  }

  /** Candles of one series in [from, to), oldest first, keyset-paginated by open time. */
  async findRange(query: CandleRangeQuery): Promise<CandlePage> {
    const limit = Math.min(query.limit ?? 1000, MAX_CANDLE_PAGE);
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`limit must be a positive integer, got ${String(query.limit)}`);
    const qb = this.dataSource
      .getRepository(OhlcvEntity)
      .createQueryBuilder('c')
      .where('c.exchange = :exchange AND c.symbol = :symbol AND c.timeframe = :timeframe', query)
      .andWhere('c.open_time >= :from AND c.open_time < :to', { from: query.from, to: query.to })
      .orderBy('c.open_time', 'ASC')
      .limit(limit + 1);
    if (query.after) qb.andWhere('c.open_time > :after', { after: query.after });
    const rows = await qb.getMany();
    const items = rows.slice(0, limit);
    return { items, next: rows.length > limit ? items[items.length - 1].openTime : null };
  }

  /** The `limit` most recent candles of a series, oldest first (indicator warm-up). */
  async latest(series: CandleSeries, limit: number, before?: Date): Promise<OhlcvEntity[]> {
    const qb = this.dataSource
      .getRepository(OhlcvEntity)
      .createQueryBuilder('c')
      .where('c.exchange = :exchange AND c.symbol = :symbol AND c.timeframe = :timeframe', series)
      .orderBy('c.open_time', 'DESC')
      .limit(Math.min(limit, MAX_CANDLE_PAGE));
    if (before) qb.andWhere('c.open_time < :before', { before });
    return (await qb.getMany()).reverse();
  }

  /** Open time of the newest stored candle of a series (where a backfill resumes), or null. */
  async lastOpenTime(series: CandleSeries): Promise<Date | null> {
    const rows: { t: Date | null }[] = await this.dataSource.query(
      `SELECT max(open_time) AS t FROM market.ohlcv WHERE exchange = $1 AND symbol = $2 AND timeframe = $3`,
      [series.exchange, series.symbol, series.timeframe],
    );
    return rows[0]?.t ?? null;
  }

  findOne(series: CandleSeries, openTime: Date): Promise<OhlcvEntity | null> {
    return this.dataSource.getRepository(OhlcvEntity).findOneBy({ ...series, openTime });
  }
}

function columnsOf(chunk: readonly CandleRow[]): unknown[] {
  const cols: unknown[][] = Array.from({ length: 13 }, () => new Array<unknown>(chunk.length));
  chunk.forEach((c, i) => {
    cols[0][i] = c.exchange;
    cols[1][i] = c.symbol;
    cols[2][i] = c.timeframe;
    cols[3][i] = c.openTime.toISOString();
    cols[4][i] = c.open;
    cols[5][i] = c.high;
    cols[6][i] = c.low;
    cols[7][i] = c.close;
    cols[8][i] = c.volume;
    cols[9][i] = c.quoteVolume ?? null;
    cols[10][i] = c.tradesCount ?? null;
    cols[11][i] = c.takerBuyVolume ?? null;
    cols[12][i] = c.source ?? 'exchange';
  });
  return cols;
}
