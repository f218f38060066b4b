import { assertPeriod } from './period';

/**
 * Maximum (or minimum) of the last `period` values in amortised O(1): a monotonic deque kept
 * in two preallocated ring buffers (values and their positions), so nothing is allocated per update.
 */
export class RollingExtreme {
  private readonly values: Float64Array;
  private readonly positions: Float64Array;
  private head = 0;
  private size = 0;
  private position = 0;

  constructor(
    readonly period: number,
    private readonly kind: 'max' | 'min',
  ) {
    assertPeriod('window', period);
    this.values = new Float64Array(period);
    this.positions = new Float64Array(period);
  }

  /** Adds a value and returns the extreme of the window ending with it. */
  update(x: number): number {
    const cap = this.period;
    const pos = this.position++;
    if (this.size > 0 && this.positions[this.head] <= pos - cap) {
      this.head = this.head + 1 === cap ? 0 : this.head + 1;
      this.size--;
    }
    const isMax = this.kind === 'max';
    while (this.size > 0) {
      const tail = (this.head + this.size - 1) % cap;
      const t = this.values[tail];
      if (isMax ? t <= x : t >= x) this.size--;
      else break;
    }
    const slot = (this.head + this.size) % cap;
    this.values[slot] = x;
    this.positions[slot] = pos;
    this.size++;
    return this.values[this.head];
  }
}
