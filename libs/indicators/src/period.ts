/** Fails fast on a period that cannot define a window (0, negative, fractional, NaN). */
export function assertPeriod(name: string, period: number, min = 1): void {
  if (!Number.isInteger(period) || period < min) {
    throw new RangeError(`${name} must be an integer >= ${min}, got ${period}`);
  }
}

/** A Float64Array of `length` NaNs: the warm-up value of every batch helper. */
export function nanArray(length: number): Float64Array {
  return new Float64Array(length).fill(Number.NaN);
}
