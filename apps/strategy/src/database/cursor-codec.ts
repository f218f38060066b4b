import { InvalidRequestError } from '../errors/strategy-domain.error';
import { TimeIdCursor } from '@trading/database';

/** The opaque `cursor`/`next` strings of list RPCs: base64url of "<ISO time>|<id>". */
export function encodeCursor(cursor: TimeIdCursor | null): string | null {
  return cursor ? Buffer.from(`${cursor.time.toISOString()}|${cursor.id}`).toString('base64url') : null;
}

export function decodeCursor(text: string | undefined): TimeIdCursor | undefined {
  if (text === undefined) return undefined;
  const [time, id] = Buffer.from(text, 'base64url').toString().split('|');
  const date = new Date(time ?? '');
  if (!id || Number.isNaN(date.getTime()) || !/^[0-9a-f-]{36}$/i.test(id)) throw new InvalidRequestError('INVALID_CURSOR', 'cursor is not one this service returned');
  return { time: date, id };
}
