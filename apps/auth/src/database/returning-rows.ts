/**
 * TypeORM's postgres `query()` returns `[rows, rowCount]` for UPDATE and DELETE but plain rows otherwise;
 * this gives the RETURNING rows either way.
 */
export function returningRows<T>(raw: unknown): T[] {
  if (Array.isArray(raw) && raw.length === 2 && Array.isArray(raw[0]) && typeof raw[1] === 'number') return raw[0] as T[];
  return raw as T[];
}
