import { v5 } from 'uuid';
import type { TargetPosition } from '@trading/strategies';

/** Fixed namespace of signal ids (UUID v5): never change it, ids already sent to exchanges depend on it. */
export const SIGNAL_ID_NAMESPACE = '5b0e1f3c-9a43-4d0b-8f57-2f3c7f0a6e41';

/**
 * The deterministic id of a signal: UUID v5 of (bot id, candle open time, target). The same decision
 * made twice (a redelivered candle, a second instance) has the same id, which is the signals primary
 * key and, downstream, the exchange client order id (36 characters, within Binance's limit).
 */
export function signalIdFor(botId: string, candleTime: number, target: TargetPosition): string {
  return v5(`${botId}|${new Date(candleTime).toISOString()}|${target}`, SIGNAL_ID_NAMESPACE);
}
