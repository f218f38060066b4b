import { Streams, type StreamName } from '@trading/contracts';

/**
 * Approximate MAXLEN per stream. Trimming deletes entries even while they are pending, so
 * each bound sits far above the worst lag we expect a consumer group to build up (the
 * arithmetic is in libs/streams/README.md).
 */
export const DEFAULT_MAX_LENGTHS: Record<StreamName, number> = {
  [Streams.MarketData]: 1_000_000,
  [Streams.StrategySignals]: 200_000,
  [Streams.Orders]: 200_000,
  [Streams.Trades]: 200_000,
  [Streams.Risk]: 100_000,
  [Streams.Audit]: 500_000,
  [Streams.DeadLetter]: 100_000,
};
