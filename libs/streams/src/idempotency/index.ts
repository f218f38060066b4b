export * from './run-idempotent';
export * from './processed-events.migration';
