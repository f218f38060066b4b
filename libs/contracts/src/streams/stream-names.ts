/** Every Redis stream the platform uses. Keys are written with the deployment's namespace prefix (see @trading/streams). */
export const Streams = {
  MarketData: 'events:market_data',
  StrategySignals: 'events:strategy_signals',
  Orders: 'events:orders',
  Trades: 'events:trades',
  Risk: 'events:risk',
  Audit: 'events:audit',
  DeadLetter: 'events:dlq',
} as const;

export type StreamName = (typeof Streams)[keyof typeof Streams];
