import { isOnTimeframeGrid } from './timeframe';

/** OHLCV as numbers, the shape every rule below checks. */
export interface CandleValues {
  readonly time: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

export interface CandleValidationContext {
  /** Open time of the last accepted candle of the same series, if any. */
  readonly previousTime?: number;
  /** When given, the candle's open time must sit on this timeframe's UTC grid. */
  readonly timeframe?: string;
}

const PRICE_FIELDS = ['open', 'high', 'low', 'close'] as const;

/**
 * The rules a candle must pass to enter the platform, shared by file imports and live feeds.
 * Returns null when the candle is valid, else the reason it is rejected (readable by a user).
 */
export function validateCandle(candle: CandleValues, context: CandleValidationContext = {}): string | null {
  if (!Number.isFinite(candle.time)) return `invalid time ${candle.time}`;
  for (const field of [...PRICE_FIELDS, 'volume'] as const) {
    if (!Number.isFinite(candle[field])) return `invalid ${field} ${candle[field]}`;
  }
  for (const field of PRICE_FIELDS) {
    if (candle[field] <= 0) return `non-positive ${field} ${candle[field]}`;
  }
  if (candle.volume < 0) return `negative volume ${candle.volume}`;
  const { open, high, low, close } = candle;
  if (high < Math.max(open, close, low)) return `high ${high} is below max(open, close, low) ${Math.max(open, close, low)}`;
  if (low > Math.min(open, close)) return `low ${low} is above min(open, close) ${Math.min(open, close)}`;
  const { previousTime, timeframe } = context;
  if (previousTime !== undefined) {
    if (candle.time === previousTime) return `duplicate timestamp ${iso(candle.time)}`;
    if (candle.time < previousTime) return `out-of-order timestamp ${iso(candle.time)} after ${iso(previousTime)}`;
  }
  if (timeframe !== undefined && !isOnTimeframeGrid(candle.time, timeframe)) {
    return `timestamp ${iso(candle.time)} is not on the ${timeframe} grid`;
  }
  return null;
}

function iso(time: number): string {
  return new Date(time).toISOString();
}
