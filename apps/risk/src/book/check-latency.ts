/** Durations of the last pre-trade checks (a ring buffer), for /metrics. */
export class CheckLatency {
  private readonly samples: Float64Array;
  private count = 0;
  private total = 0;

  constructor(private readonly size = 10_000) {
    this.samples = new Float64Array(size);
  }

  record(ms: number): void {
    this.samples[this.count % this.size] = ms;
    this.count++;
    this.total++;
  }

  snapshot(): { checks: number; p50Ms: number | null; p99Ms: number | null; maxMs: number | null } {
    const n = Math.min(this.count, this.size);
    if (n === 0) return { checks: this.total, p50Ms: null, p99Ms: null, maxMs: null };
    const sorted = Array.from(this.samples.subarray(0, n)).sort((a, b) => a - b);
    const at = (q: number) => Number((sorted[Math.min(n - 1, Math.floor(q * n))] ?? 0).toFixed(4));
    return { checks: this.total, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: at(1) };
  }
}
