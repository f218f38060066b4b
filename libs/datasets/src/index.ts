export * from './timeframe';
export * from './candle-validation';
export * from './time-value';
export * from './candle-file.reader';
export * from './shipped-datasets';
