import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/** One page of a newest-first listing; pass `nextCursor` back to get the following page. */
export interface KeysetPage<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

export interface KeysetPageRequest {
  readonly limit: number;
  readonly cursor?: string | null;
}

interface CursorKey {
  readonly time: Date;
  readonly id: string;
}

export class InvalidCursorError extends Error {
  constructor(cursor: string) {
    super(`invalid page cursor "${cursor}"`);
    this.name = 'InvalidCursorError';
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(`${key.time.toISOString()}|${key.id}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): CursorKey {
  const [iso, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const time = new Date(iso ?? '');
  if (rest.length || !id || !UUID.test(id) || Number.isNaN(time.getTime())) throw new InvalidCursorError(cursor);
  return { time, id };
}

export const MAX_KEYSET_PAGE_SIZE = 500;

/**
 * Keyset pagination by (time, id), newest first. Rows must be written with JavaScript Dates (millisecond
 * precision) so the cursor, which carries a Date, is exact.
 */
export async function pageByTimeDesc<T extends ObjectLiteral & { id: string }>(
  qb: SelectQueryBuilder<T>,
  timeProperty: keyof T & string,
  page: KeysetPageRequest,
): Promise<KeysetPage<T>> {
  const limit = Math.trunc(page.limit);
  if (!(limit >= 1 && limit <= MAX_KEYSET_PAGE_SIZE))
    throw new RangeError(`page limit must be 1..${MAX_KEYSET_PAGE_SIZE}, got ${page.limit}`);
  const alias = qb.alias;
  if (page.cursor) {
    const key = decodeCursor(page.cursor);
    qb.andWhere(`(${alias}.${timeProperty}, ${alias}.id) < (:cursorTime, :cursorId)`, {
      cursorTime: key.time,
      cursorId: key.id,
    });
  }
  const rows = await qb
    .orderBy(`${alias}.${timeProperty}`, 'DESC')
    .addOrderBy(`${alias}.id`, 'DESC')
    .limit(limit + 1)
    .getMany();
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  const nextCursor =
    rows.length > limit && last ? encodeCursor({ time: last[timeProperty] as Date, id: last.id }) : null;
  return { items, nextCursor };
}
