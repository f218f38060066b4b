/** A ccxt OHLCV row: [open time, open, high, low, close, volume]. */
export type OhlcvRow = readonly number[];

/**
 * Turns ccxt Pro `watchOHLCV` updates into closed candles. ccxt hands over only the rows updated
 * since the previous call (usually just the forming candle), so the tracker keeps the newest state
 * of every candle not handed over yet and reports it closed once a later candle has started.
 *
 * Updates missed while a connection was down may include a candle's final ones: a candle that was
 * open when the connection was lost is handed over only if an update for it arrives on the new
 * connection (every kline update carries the whole candle so far). Otherwise it is dropped and
 * shows up as a gap, which the feed runner repairs through REST.
 */
export class ClosedCandleTracker {
  private readonly open = new Map<number, OhlcvRow>();
  private readonly unconfirmed = new Set<number>();
  private lastHandedOver = Number.NEGATIVE_INFINITY;

  update(rows: readonly OhlcvRow[]): void {
    for (const row of rows) {
      const time = row[0];
      if (!Number.isFinite(time) || time <= this.lastHandedOver) continue;
      this.open.set(time, row);
      this.unconfirmed.delete(time);
    }
  }

  /** Candles a later one has started after, oldest first; unconfirmed ones are dropped here. */
  closed(): OhlcvRow[] {
    if (this.open.size < 2) return [];
    const newest = Math.max(...this.open.keys());
    const out: OhlcvRow[] = [];
    for (const [time, row] of [...this.open].sort(([a], [b]) => a - b)) {
      if (time >= newest) break;
      if (this.unconfirmed.delete(time)) this.open.delete(time);
      else out.push(row);
    }
    return out;
  }

  /** Call once the sink has taken the candles `closed()` returned. */
  handedOver(rows: readonly OhlcvRow[]): void {
    for (const row of rows) {
      this.open.delete(row[0]);
      this.lastHandedOver = Math.max(this.lastHandedOver, row[0]);
    }
  }

  connectionLost(): void {
    for (const time of this.open.keys()) this.unconfirmed.add(time);
  }
}
