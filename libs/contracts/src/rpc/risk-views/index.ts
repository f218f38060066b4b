export * from './risk-views';
