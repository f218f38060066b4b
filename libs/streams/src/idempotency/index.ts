export * from './run-idempotent';
export * from './processed-events.migration';
export * from './processed-events.pruner';
