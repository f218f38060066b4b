export * from './market-cache-keys';
export * from './candle-window.cache';
export * from './ticker.cache';
