export * from './redact-secrets';
export * from './logger-options';
