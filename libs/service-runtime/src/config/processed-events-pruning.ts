import type { ProcessedEventsPrunerOptions } from '@trading/streams';
import type { BaseServiceEnv } from './base-service.env';

/**
 * PROCESSED_EVENTS_RETAIN_HOURS / PROCESSED_EVENTS_PRUNE_INTERVAL_MS as ProcessedEventsPruner options, so a
 * consuming service wires its pruner in one line:
 * `processedEventsPrunerProvider({ schema: 'risk', ...processedEventsPruning(config) })`.
 */
export function processedEventsPruning(config: BaseServiceEnv): Pick<ProcessedEventsPrunerOptions, 'retainMs' | 'intervalMs'> {
  return { retainMs: config.PROCESSED_EVENTS_RETAIN_HOURS * 3600 * 1000, intervalMs: config.PROCESSED_EVENTS_PRUNE_INTERVAL_MS };
}
