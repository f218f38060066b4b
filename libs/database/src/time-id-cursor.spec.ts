import { clampLimit, toPage } from './time-id-cursor';

describe('keyset pages', () => {
  const rows = [1, 2, 3].map((n) => ({ id: `id${n}`, at: new Date(n * 1000) }));
  const cursorOf = (r: { id: string; at: Date }) => ({ time: r.at, id: r.id });

  it('returns a cursor to the last item only when the extra row shows there is more', () => {
    expect(toPage(rows, 2, cursorOf)).toEqual({ items: rows.slice(0, 2), next: { time: new Date(2000), id: 'id2' } });
    expect(toPage(rows.slice(0, 2), 2, cursorOf)).toEqual({ items: rows.slice(0, 2), next: null });
  });

  it('caps the page size and refuses nonsense', () => {
    expect(clampLimit(undefined)).toBe(50);
    expect(clampLimit(10_000)).toBe(500);
    expect(() => clampLimit(0)).toThrow(/positive integer/);
    expect(() => clampLimit(1.5)).toThrow(/positive integer/);
  });
});
