/** Events per second over the last `windowSeconds`, from per-second buckets. */
export class RateMeter {
  private readonly buckets: Float64Array;
  private readonly stamps: Float64Array;

  constructor(
    private readonly windowSeconds = 10,
    private readonly now: () => number = Date.now,
  ) {
    this.buckets = new Float64Array(windowSeconds);
    this.stamps = new Float64Array(windowSeconds).fill(-1);
  }

  mark(n = 1): void {
    const second = Math.floor(this.now() / 1000);
    const slot = second % this.windowSeconds;
    if (this.stamps[slot] !== second) {
      this.stamps[slot] = second;
      this.buckets[slot] = 0;
    }
    this.buckets[slot] += n;
  }

  /** Average over the complete seconds of the window (the current, partial second is left out). */
  perSecond(): number {
    const current = Math.floor(this.now() / 1000);
    let total = 0;
    for (let i = 0; i < this.windowSeconds; i++) {
      const age = current - this.stamps[i];
      if (age >= 1 && age < this.windowSeconds) total += this.buckets[i];
    }
    return total / (this.windowSeconds - 1);
  }
}
