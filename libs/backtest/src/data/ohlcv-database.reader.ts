import { Client } from 'pg';
import type { BacktestCandle } from '../engine/backtest.types';

export interface OhlcvQuery {
  readonly exchange: string;
  readonly symbol: string;
  readonly timeframe: string;
  /** Inclusive lower bound of the candle open time. */
  readonly from?: Date;
  /** Exclusive upper bound of the candle open time. */
  readonly to?: Date;
}

interface OhlcvRow {
  t: string;
  open: string;
  high: string;
  low: string;
  close: string;
  volume: string;
}

/**
 * Candles stored by market-data in `market.ohlcv`, oldest first. NUMERIC columns arrive as
 * strings and are kept exact in `exact` for the accounting.
 */
export async function readCandlesFromDatabase(databaseUrl: string, query: OhlcvQuery): Promise<BacktestCandle[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<OhlcvRow>(
      `SELECT (extract(epoch FROM open_time) * 1000)::bigint::text AS t,
              open::text, high::text, low::text, close::text, volume::text
         FROM market.ohlcv
        WHERE exchange = $1 AND symbol = $2 AND timeframe = $3
          AND ($4::timestamptz IS NULL OR open_time >= $4)
          AND ($5::timestamptz IS NULL OR open_time < $5)
        ORDER BY open_time`,
      [query.exchange, query.symbol, query.timeframe, query.from ?? null, query.to ?? null],
    );
    return rows.map((r) => ({
      time: Number(r.t),
      open: Number(r.open),
      high: Number(r.high),
      low: Number(r.low),
      close: Number(r.close),
      volume: Number(r.volume),
      exact: { open: r.open, high: r.high, low: r.low, close: r.close, volume: r.volume },
    }));
  } finally {
    await client.end();
  }
}
