/** The last `size` samples in a ring; percentiles are computed on demand from a sorted copy. */
export class LatencyWindow {
  private readonly samples: Float64Array;
  private count = 0;
  private next = 0;

  constructor(size = 2048) {
    this.samples = new Float64Array(size);
  }

  record(ms: number): void {
    this.samples[this.next] = ms;
    this.next = (this.next + 1) % this.samples.length;
    if (this.count < this.samples.length) this.count++;
  }

  /** Nearest-rank percentile, `p` in (0, 100]; null before any sample. */
  percentiles(...ps: number[]): (number | null)[] {
    if (this.count === 0) return ps.map(() => null);
    const sorted = this.samples.slice(0, this.count).sort();
    return ps.map((p) => sorted[Math.min(this.count - 1, Math.max(0, Math.ceil((p / 100) * this.count) - 1))]);
  }
}
