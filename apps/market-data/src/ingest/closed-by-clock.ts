/**
 * Whether a candle closing at `closeTime` (epoch ms) has closed by this process's clock. A local clock a little
 * behind the exchange's would otherwise refuse the candle an exchange has just closed (a websocket hands it over
 * the moment the next one starts), so it is accepted up to `skewToleranceMs` early (CLOCK_SKEW_TOLERANCE_MS).
 * Only a sanity check: whether a candle is final is the feed's call (the exchange's next candle, or REST polling
 * by the local clock, which never hands over a candle early).
 */
export function closedByClock(closeTime: number, now: number, skewToleranceMs: number): boolean {
  return closeTime <= now + skewToleranceMs;
}
