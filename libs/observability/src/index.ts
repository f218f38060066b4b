export * from './redact-secrets';
export * from './logger-options';
export * from './metrics/influx-metrics.writer';
