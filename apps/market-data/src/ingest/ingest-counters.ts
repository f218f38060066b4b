/** What the ingest path counted since start; exposed on GET /metrics. */
export class IngestCounters {
  accepted = 0;
  published = 0;
  rejected = 0;
  missingCandles = 0;
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

  snapshot() {
    return { accepted: this.accepted, published: this.published, rejected: this.rejected, rejectedByReason: { ...this.rejectedByReason }, missingCandles: this.missingCandles };
  }
}
