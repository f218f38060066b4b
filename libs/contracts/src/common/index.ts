export * from './trading-vocabulary';
