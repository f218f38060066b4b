import { MarketCandlesRange, RpcPatterns } from '@trading/contracts';
import { datasetPath, getDataset, readCandleFile } from '@trading/datasets';
import type { BacktestCandle } from '@trading/backtest';
import type { RpcClient } from '@trading/streams';

export interface CandleRange {
  readonly exchange: string;
  readonly symbol: string;
  readonly timeframe: string;
  readonly from: Date;
  readonly to: Date;
}

/** A shipped dataset, read exactly as the CLI backtest reads it. */
export function datasetCandles(name: string): { candles: BacktestCandle[]; exchange: string; symbol: string; timeframe: string } {
  const info = getDataset(name);
  const { candles } = readCandleFile(datasetPath(info.name), { timeframe: info.timeframe });
  return { candles, exchange: info.exchange, symbol: info.symbol, timeframe: info.timeframe };
}

/** Stored candles from market-data (`market.candles.range`), page by page; `onPage` gets the fraction of the range covered. */
export async function marketCandles(rpc: RpcClient, range: CandleRange, timeoutMs: number, onPage: (fraction: number) => Promise<void>): Promise<BacktestCandle[]> {
  const out: BacktestCandle[] = [];
  let cursor: string | undefined;
  const span = range.to.getTime() - range.from.getTime();
  for (;;) {
    const page: MarketCandlesRange.Response = await rpc.send(
      RpcPatterns.MarketCandlesRange,
      {
        exchange: range.exchange,
        symbol: range.symbol,
        timeframe: range.timeframe as MarketCandlesRange.Request['timeframe'],
        from: range.from.toISOString(),
        to: range.to.toISOString(),
        limit: 5000,
        ...(cursor && { cursor }),
      },
      { timeoutMs },
    );
    for (const c of page.items) {
      out.push({
        time: Date.parse(c.openTime),
        open: Number(c.open),
        high: Number(c.high),
        low: Number(c.low),
        close: Number(c.close),
        volume: Number(c.volume),
        exact: { open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume },
      });
    }
    if (!page.next) return out;
    cursor = page.next;
    if (out.length) await onPage(Math.min(1, (out[out.length - 1].time - range.from.getTime()) / span));
  }
}
