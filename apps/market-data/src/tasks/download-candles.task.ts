import { timeframeToMs } from '@trading/datasets';
import { CcxtExchangeAdapter } from '@trading/exchange';
import { CcxtFeed } from '../feeds/ccxt.feed';
import { IngestService } from '../ingest/ingest.service';
import { OhlcvPartitionMaintenance } from '../partitions/ohlcv-partition-maintenance';

export interface DownloadOptions {
  exchange: string;
  symbol: string;
  timeframe: string;
  since: number;
  until: number;
  ccxt: { enableRateLimit: boolean; urls?: Record<string, unknown>; options?: Record<string, unknown> };
}

export interface DownloadReport {
  fetched: number;
  stored: number;
  aggregated: Record<string, number>;
  /** Candles of [since, until) the exchange did not return (history it no longer serves, minutes without trades). */
  missing: number;
  gaps: { from: string; to: string; missing: number }[];
}

/**
 * `tradectl data download`: history through ccxt (fetchOHLCV pages from `since`), stored without publishing. The
 * report lists the candles of the range the exchange did not return.
 */
export async function downloadCandles(
  ingest: IngestService,
  partitions: OhlcvPartitionMaintenance,
  options: DownloadOptions,
  progress?: (done: number, total: number) => void,
): Promise<DownloadReport> {
  const exchange = new CcxtExchangeAdapter({ exchangeId: options.exchange, ...options.ccxt });
  try {
    const step = timeframeToMs(options.timeframe);
    const since = Math.floor(options.since / step) * step;
    const total = Math.max(1, Math.ceil((options.until - since) / step));
    const first = new Date(since);
    const last = new Date(options.until);
    await partitions.ensureMonths(first, (last.getUTCFullYear() - first.getUTCFullYear()) * 12 + last.getUTCMonth() - first.getUTCMonth() + 1);
    const feed = new CcxtFeed(exchange, { exchangeId: options.exchange, symbol: options.symbol, timeframe: options.timeframe, since, now: () => options.until });
    const report: DownloadReport = { fetched: 0, stored: 0, aggregated: {}, missing: 0, gaps: [] };
    const addGap = (from: number, to: number, missing: number) => {
      report.missing += missing;
      report.gaps.push({ from: new Date(from).toISOString(), to: new Date(to).toISOString(), missing });
    };
    ingest.expectNext(options, since);
    let cursor = since;
    let next = since;
    while (cursor < options.until) {
      const page = await feed.backfill(cursor, Math.min(options.until, cursor + 1000 * step));
      if (!page.length) {
        cursor += 1000 * step;
        continue;
      }
      const result = await ingest.ingest({ candles: page, tickers: [] }, 'ccxt', { publish: false });
      for (const gap of result.gaps) addGap(gap.from, gap.to, gap.missing);
      next = page[page.length - 1].time + step;
      report.fetched += page.length;
      for (const [tf, n] of Object.entries(result.storedByTimeframe)) {
        if (tf === options.timeframe) report.stored += n;
        else report.aggregated[tf] = (report.aggregated[tf] ?? 0) + n;
      }
      cursor = page[page.length - 1].time + step;
      progress?.(Math.min(total, Math.round((cursor - since) / step)), total);
    }
    // The candles expected are those closed by `until`; what is missing after the last one returned is a gap too.
    const end = Math.floor(options.until / step) * step;
    if (end > next) addGap(next, end, (end - next) / step);
    return report;
  } finally {
    await exchange.close();
  }
}
