import { createHash } from 'node:crypto';
import type { SignalTarget } from './signal-emitted.payload';

/**
 * Same bot + candle + target always gives the same id, 32 url-safe characters, short enough
 * for every exchange's client order id limit (Binance allows 36).
 */
export function signalIdOf(botId: string, candleTime: string, target: SignalTarget): string {
  const canonicalTime = new Date(candleTime).toISOString();
  return createHash('sha256').update(`${botId}|${canonicalTime}|${target}`).digest('base64url').slice(0, 32);
}
