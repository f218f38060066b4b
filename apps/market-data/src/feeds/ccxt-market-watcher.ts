import { loadCcxt, toCcxtRealm } from '@trading/exchange';
import type { OhlcvRow } from './closed-candle-tracker';
import type { RawTicker } from './feed-ticker';

/** The part of a ccxt Pro exchange a websocket feed needs. */
export interface MarketWatcher {
  /** The candles updated since the previous call (ccxt Pro's `newUpdates`). */
  watchOHLCV(symbol: string, timeframe: string): Promise<OhlcvRow[]>;
  /** The next ticker update; absent when ccxt Pro has no websocket ticker for the exchange. */
  readonly watchTicker?: (symbol: string) => Promise<RawTicker>;
  /**
   * The newest ticker received so far. ccxt Pro resolves a pending watchTicker with the first message
   * of a burst it reads at once and only caches the rest, so the newest may be newer than the last
   * watchTicker answer.
   */
  readonly latestTicker?: (symbol: string) => RawTicker | undefined;
  close(): Promise<unknown>;
}

interface ProClient {
  readonly has: Record<string, unknown>;
  readonly urls: unknown;
  readonly tickers?: Record<string, RawTicker | undefined>;
  newUpdates: boolean;
  watchOHLCV(symbol: string, timeframe: string): Promise<number[][]>;
  watchTicker(symbol: string, params?: Record<string, unknown>): Promise<RawTicker>;
  loadHttpProxyAgent(): Promise<unknown>;
  close(): Promise<unknown>;
}
type ProClass = new (config: Record<string, unknown>) => ProClient;

/**
 * A ccxt Pro client for `exchangeId` (overrides deep-merged as for REST, e.g. `urls.api.ws`), or null
 * when ccxt has no websocket OHLCV for it.
 */
export async function createMarketWatcher(exchangeId: string, overrides: { urls?: Record<string, unknown>; options?: Record<string, unknown> } = {}): Promise<MarketWatcher | null> {
  const pro = (loadCcxt() as unknown as { pro?: Record<string, ProClass> }).pro;
  const ExchangeClass = pro?.[exchangeId];
  if (typeof ExchangeClass !== 'function') return null;
  const client = new ExchangeClass(toCcxtRealm({ enableRateLimit: true, ...overrides }));
  if (!client.has['watchOHLCV']) return null;
  // The candle tracker relies on getting only the rows updated since the previous call.
  client.newUpdates = true;
  // ccxt refuses plain ws:// URLs (a loopback or local relay) until its http agent is loaded.
  if (JSON.stringify(client.urls).includes('"ws://')) await client.loadHttpProxyAgent();
  // ccxt 4.5's binance watchTicker is meant to use the full 24 h ticker (options.watchTicker.name)
  // but loses that on its way through watchTickers and subscribes <symbol>@miniTicker, which has no
  // bid or ask: name the channel explicitly for the binance family.
  const BinanceClass = pro?.['binance'];
  const tickerParams = BinanceClass && client instanceof BinanceClass ? { name: 'ticker' } : {};
  return {
    watchOHLCV: (symbol, timeframe) => client.watchOHLCV(symbol, timeframe),
    watchTicker: client.has['watchTicker'] ? (symbol) => client.watchTicker(symbol, { ...tickerParams }) : undefined,
    latestTicker: (symbol) => client.tickers?.[symbol],
    close: () => client.close(),
  };
}
