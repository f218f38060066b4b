export * from './auth-views';
