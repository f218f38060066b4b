import { readCandleFile } from '@trading/datasets';
import { IngestService } from '../ingest/ingest.service';
import { OhlcvPartitionMaintenance } from '../partitions/ohlcv-partition-maintenance';

export interface ImportOptions {
  file: string;
  exchange: string;
  symbol: string;
  timeframe: string;
  /** Also cache and publish the candles (as a live feed would); off for history. */
  publish: boolean;
}

export interface ImportReport {
  file: string;
  /** Data rows in the file. */
  rows: number;
  /** Rows stored for the first time. */
  stored: number;
  /** Valid rows already stored before (an import twice adds nothing). */
  alreadyStored: number;
  /** Higher-timeframe candles built from the rows and stored. */
  aggregated: Record<string, number>;
  /** Every refused row with its 1-based line in the file. */
  rejected: { line: number; reason: string }[];
}

const BATCH = 2000;

/**
 * `tradectl data import`: every row of a CSV/JSON candle file is either stored (through the same
 * validation, aggregation and store as a live feed) or reported with its line number and reason.
 * Monthly partitions are created for the file's months first, so history does not pile up in the
 * default partition.
 */
export async function importCandles(
  ingest: IngestService,
  partitions: OhlcvPartitionMaintenance,
  options: ImportOptions,
  progress?: (done: number, total: number) => void,
): Promise<ImportReport> {
  const { candles, rejected } = readCandleFile(options.file, { timeframe: options.timeframe, closedBy: Date.now() });
  if (candles.length) {
    const first = new Date(candles[0].time);
    const last = new Date(candles[candles.length - 1].time);
    const months = (last.getUTCFullYear() - first.getUTCFullYear()) * 12 + last.getUTCMonth() - first.getUTCMonth() + 1;
    await partitions.ensureMonths(first, months);
  }
  let stored = 0;
  const aggregated: Record<string, number> = {};
  for (let i = 0; i < candles.length; i += BATCH) {
    const batch = candles.slice(i, i + BATCH).map((c) => ({ exchange: options.exchange, symbol: options.symbol, timeframe: options.timeframe, time: c.time, ...c.exact }));
    const result = await ingest.ingest({ candles: batch, tickers: [] }, 'replay', { publish: options.publish });
    for (const [tf, n] of Object.entries(result.storedByTimeframe)) {
      if (tf === options.timeframe) stored += n;
      else aggregated[tf] = (aggregated[tf] ?? 0) + n;
    }
    progress?.(Math.min(i + BATCH, candles.length), candles.length);
  }
  return { file: options.file, rows: candles.length + rejected.length, stored, alreadyStored: candles.length - stored, aggregated, rejected };
}
