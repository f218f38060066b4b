/** A value the surrounding code guarantees (a row just written, a position just opened); fails fast otherwise. */
export function required<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new Error(`impossible state: ${what} is missing`);
  return value;
}
