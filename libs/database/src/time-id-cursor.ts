/** Keyset pagination position: the (time, id) of the last row of the previous page. */
export interface TimeIdCursor {
  readonly time: Date;
  readonly id: string;
}

export interface Page<T> {
  readonly items: T[];
  /** Pass back to get the next page; null on the last page. */
  readonly next: TimeIdCursor | null;
}

export const MAX_PAGE_SIZE = 500;

export function clampLimit(limit: number | undefined, fallback = 50): number {
  const n = limit ?? fallback;
  if (!Number.isInteger(n) || n < 1) throw new Error(`page limit must be a positive integer, got ${String(limit)}`);
  return Math.min(n, MAX_PAGE_SIZE);
}

/** Builds a page from rows fetched with limit + 1 (the extra row only says whether there is more). */
export function toPage<T>(rows: T[], limit: number, cursorOf: (row: T) => TimeIdCursor): Page<T> {
  const items = rows.slice(0, limit);
  return { items, next: rows.length > limit ? cursorOf(items[items.length - 1]) : null };
}
