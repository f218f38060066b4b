import { existsSync } from 'node:fs';
import { Command } from 'commander';
import { readCandlesFromDatabase, type BacktestCandle } from '@trading/backtest';
import { DEFAULT_DATABASE_URL } from '@trading/database';
import { datasetPath, readCandleFile } from '@trading/datasets';

/** Where `backtest` and `optimize` read candles: a file or shipped dataset, or PostgreSQL market.ohlcv. */
export interface CandleSourceOptions {
  data?: string;
  exchange?: string;
  symbol?: string;
  from?: string;
  to?: string;
  databaseUrl?: string;
  timeframe?: string;
}

/** The candle-source options shared by `backtest` and `optimize`. */
export function addCandleSourceOptions(command: Command): Command {
  return command
    .option('--data <file>', 'candle file (CSV or JSON) or the name of a shipped dataset')
    .option('--exchange <id>', 'read candles from PostgreSQL market.ohlcv instead (with --symbol, --timeframe)')
    .option('--symbol <symbol>', 'market symbol in market.ohlcv, e.g. BTC/USDT')
    .option('--from <time>', 'first candle open time (ISO-8601, inclusive) when reading from PostgreSQL')
    .option('--to <time>', 'end of the range (ISO-8601, exclusive) when reading from PostgreSQL')
    .option('--database-url <url>', 'PostgreSQL holding market.ohlcv (default: $DATABASE_URL or the local trading database)')
    .option('--timeframe <tf>', 'candle timeframe: checked against file times; selects the series in PostgreSQL');
}

/** A candle file (CSV/JSON), or the name of a shipped dataset. Rejected rows are reported on stderr. */
export function loadCandles(data: string, timeframe?: string): BacktestCandle[] {
  const path = existsSync(data) ? data : datasetPath(data);
  const { candles, rejected } = readCandleFile(path, { timeframe });
  if (rejected.length > 0) {
    const shown = rejected.slice(0, 5).map((r) => `line ${r.line}: ${r.reason}`);
    console.error(`warning: ${rejected.length} rows of ${path} rejected (${shown.join('; ')}${rejected.length > 5 ? '; ...' : ''})`);
  }
  if (candles.length === 0) throw new Error(`no candles in ${path}`);
  return candles;
}

function parseTime(name: string, text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const d = new Date(text);
  if (Number.isNaN(d.getTime())) throw new Error(`${name} must be an ISO-8601 time, got "${text}"`);
  return d;
}

/** The candles the options name, and a one-line description of where they came from. */
export async function loadCandleSource(o: CandleSourceOptions): Promise<{ candles: BacktestCandle[]; source: string }> {
  if (o.data && o.exchange) throw new Error('use either --data or --exchange/--symbol/--timeframe, not both');
  if (o.data) return { candles: loadCandles(o.data, o.timeframe), source: o.data };
  if (!o.exchange || !o.symbol || !o.timeframe) throw new Error('give --data FILE, or --exchange, --symbol and --timeframe to read from PostgreSQL');
  const url = o.databaseUrl ?? process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  const candles = await readCandlesFromDatabase(url, {
    exchange: o.exchange,
    symbol: o.symbol,
    timeframe: o.timeframe,
    from: parseTime('--from', o.from),
    to: parseTime('--to', o.to),
  });
  const source = `${o.exchange} ${o.symbol} ${o.timeframe}${o.from ? ` from ${o.from}` : ''}${o.to ? ` to ${o.to}` : ''}`;
  if (candles.length === 0) throw new Error(`no candles in market.ohlcv for ${source}`);
  return { candles, source };
}
