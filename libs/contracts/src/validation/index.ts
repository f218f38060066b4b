export * from './is-decimal-string.decorator';
export * from './is-market-symbol.decorator';
export * from './is-number-record.decorator';
export * from './has-no-secrets.decorator';
