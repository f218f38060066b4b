export * from './trading-views';
export * from './trading-requests';
