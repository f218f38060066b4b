/** What the ingest path counted since start; exposed on GET /metrics. */
export class IngestCounters {
  accepted = 0;
  published = 0;
  rejected = 0;
  /** Candles still missing after gap repair. */
  missingCandles = 0;
  /** Candles a gap repair (REST backfill) filled in. */
  repairedCandles = 0;
  /** Stored aggregated candles rebuilt from their base candles after late ones arrived. */
  correctedCandles = 0;
  readonly rejectedByReason: Record<string, number> = {};

  accept(accepted: number, published: number): void {
    this.accepted += accepted;
    this.published += published;
  }

  reject(reason: string): void {
    this.rejected++;
    const kind = reason.replace(/[\d.:TZ-]{6,}.*$/, '').trim();
    this.rejectedByReason[kind] = (this.rejectedByReason[kind] ?? 0) + 1;
  }

  gap(missing: number): void {
    this.missingCandles += missing;
  }

  repaired(count: number): void {
    this.repairedCandles += count;
  }

  corrected(count: number): void {
    this.correctedCandles += count;
  }

  snapshot() {
    return { accepted: this.accepted, published: this.published, rejected: this.rejected, rejectedByReason: { ...this.rejectedByReason }, missingCandles: this.missingCandles, repairedCandles: this.repairedCandles, correctedCandles: this.correctedCandles };
  }
}
