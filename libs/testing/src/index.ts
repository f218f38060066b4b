export * from './test-environment';
export * from './tcp-proxy';
export * from './process-helpers';
export * from './victoria-metrics';
export * from './loopback-exchange';
export * from './builders/candle-series.builder';
export * from './builders/signal.builder';
export * from './database-refusal';
