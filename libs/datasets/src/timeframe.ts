const UNIT_MS: Record<string, number> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** Epoch (1970-01-01) was a Thursday; exchanges open weekly candles on Monday 00:00 UTC. */
const WEEK_GRID_OFFSET_MS = 4 * 86_400_000;

/**
 * Length of a candle timeframe such as `1m`, `5m`, `15m`, `1h`, `4h`, `1d`, `1w` in milliseconds.
 * Months are not a fixed length and are not supported.
 */
export function timeframeToMs(timeframe: string): number {
  const match = /^([1-9]\d*)([smhdw])$/.exec(timeframe);
  if (!match) {
    throw new Error(`unsupported timeframe "${timeframe}": expected a number followed by s, m, h, d or w (e.g. 1m, 4h, 1d)`);
  }
  return Number(match[1]) * UNIT_MS[match[2]];
}

/** True when `time` (epoch ms, candle open) is a candle open time of `timeframe` (UTC grid; weeks start Monday). */
export function isOnTimeframeGrid(time: number, timeframe: string): boolean {
  const ms = timeframeToMs(timeframe);
  const offset = timeframe.endsWith('w') ? WEEK_GRID_OFFSET_MS : 0;
  return (((time - offset) % ms) + ms) % ms === 0;
}
