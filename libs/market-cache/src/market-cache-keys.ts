/**
 * Redis keys of the market cache (from the seeds), under the deployment's namespace:
 *   market:ticker:{exchange}:{symbol}        hash (last, bid, ask, baseVolume, time, timeMs, receivedAt), TTL 60 s
 *   market:ohlcv:{exchange}:{symbol}:{tf}    list of the last N closed candles, oldest first
 */
export const TICKER_TTL_SECONDS = 60;

export function tickerKey(namespace: string, exchange: string, symbol: string): string {
  return `${namespace}market:ticker:${exchange}:${symbol}`;
}

export function ohlcvKey(namespace: string, exchange: string, symbol: string, timeframe: string): string {
  return `${namespace}market:ohlcv:${exchange}:${symbol}:${timeframe}`;
}
