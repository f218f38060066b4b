export * from './test-environment';
export * from './tcp-proxy';
export * from './process-helpers';
export * from './loopback-exchange';
