export * from './strategy-views';
export * from './bot-settings';
