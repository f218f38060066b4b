import { compareEntryIds, entryIdBefore, isAfter } from './stream-entry-id';

describe('stream entry ids', () => {
  it('compare by milliseconds, then sequence, as numbers (not as text)', () => {
    expect(compareEntryIds('1700000000000-10', '1700000000000-9')).toBeGreaterThan(0);
    expect(compareEntryIds('999-0', '1000-0')).toBeLessThan(0);
    expect(compareEntryIds('5-5', '5-5')).toBe(0);
    expect(isAfter('5-6', '5-5')).toBe(true);
    expect(isAfter('5-5', '5-5')).toBe(false);
    expect(isAfter('0-1', null)).toBe(true);
  });

  it('gives the id just before one, so an exclusive XREAD cursor returns that entry first', () => {
    expect(entryIdBefore('1700000000000-3')).toBe('1700000000000-2');
    expect(entryIdBefore('1700000000000-0')).toBe('1699999999999-18446744073709551615');
    expect(entryIdBefore('0-0')).toBe('0-0');
  });

  it('refuses what is not an entry id', () => {
    expect(() => compareEntryIds('$', '0-0')).toThrow('not a stream entry id: "$"');
  });
});
