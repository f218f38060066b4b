import { InvalidCursorError, decodeCursor, encodeCursor } from './keyset-page';

describe('page cursor', () => {
  it('round-trips the time (to the millisecond) and the id', () => {
    const key = { time: new Date('2026-11-20T10:00:00.123Z'), id: '019a8f4e-1c2d-7e3f-8a4b-5c6d7e8f9a0b' };
    expect(decodeCursor(encodeCursor(key))).toEqual(key);
  });

  it.each([
    ['not base64 of a key', 'garbage'],
    ['a bad time', Buffer.from('yesterday|019a8f4e-1c2d-7e3f-8a4b-5c6d7e8f9a0b').toString('base64url')],
    ['a bad id', Buffer.from('2026-11-20T10:00:00.000Z|42').toString('base64url')],
    [
      'extra parts',
      Buffer.from('2026-11-20T10:00:00.000Z|019a8f4e-1c2d-7e3f-8a4b-5c6d7e8f9a0b|x').toString('base64url'),
    ],
  ])('refuses %s', (_, cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(InvalidCursorError);
  });
});
