export { BinanceApiError } from './binance-api.error';
export type { FaultRule, LoopbackFault } from './loopback-faults';
export { LoopbackBinanceState } from './loopback-binance.state';
export type { LoopbackCandle, LoopbackSymbol, StoredOrder, StoredTrade } from './loopback-binance.state';
export { startLoopbackBinance } from './loopback-binance.server';
export type { LoopbackBinance, LoopbackBinanceOptions, LoopbackRequest } from './loopback-binance.server';
export { startLoopbackBinanceStream } from './loopback-binance-stream.server';
export type {
  LoopbackBinanceStream,
  LoopbackBinanceStreamOptions,
  LoopbackKline,
  LoopbackStreamConnection,
  LoopbackStreamRequest,
  LoopbackTicker,
} from './loopback-binance-stream.server';
export { KrakenApiError } from './kraken-api.error';
export { LoopbackKrakenState } from './loopback-kraken.state';
export type { KrakenCandle, KrakenPair, KrakenStoredOrder, KrakenStoredTrade } from './loopback-kraken.state';
export { startLoopbackKraken } from './loopback-kraken.server';
export type {
  KrakenFault,
  LoopbackKraken,
  LoopbackKrakenOptions,
  LoopbackKrakenRequest,
} from './loopback-kraken.server';
