export * from './analytics-views';
