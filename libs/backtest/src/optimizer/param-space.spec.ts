import { gridCombinations, parseParamSpec, randomCombinations, rangeValues } from './param-space';

describe('optimizer parameter space', () => {
  it('expands ranges without float drift', () => {
    expect(rangeValues({ min: 5, max: 50, step: 5 })).toHaveLength(10);
    expect(rangeValues({ min: 0.1, max: 0.5, step: 0.1 })).toEqual([0.1, 0.2, 0.3, 0.4, 0.5]);
    expect(() => rangeValues({ min: 5, max: 1, step: 1 })).toThrow(/invalid range/);
  });

  it('builds the cartesian product in a stable order', () => {
    expect(gridCombinations({ fast: [1, 2], slow: { min: 10, max: 20, step: 10 } })).toEqual([
      { fast: 1, slow: 10 },
      { fast: 1, slow: 20 },
      { fast: 2, slow: 10 },
      { fast: 2, slow: 20 },
    ]);
  });

  it('samples distinct combinations deterministically', () => {
    const space = { a: { min: 1, max: 100, step: 1 }, b: { min: 1, max: 100, step: 1 } };
    const first = randomCombinations(space, 25, 7);
    expect(first).toEqual(randomCombinations(space, 25, 7));
    expect(new Set(first.map((p) => `${p.a}/${p.b}`)).size).toBe(25);
    expect(Object.keys(first[0])).toEqual(['a', 'b']);
    expect(randomCombinations({ a: [1, 2] }, 10)).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it('parses CLI specs', () => {
    expect(parseParamSpec('5:50:5')).toEqual({ min: 5, max: 50, step: 5 });
    expect(parseParamSpec('ema,sma')).toEqual(['ema', 'sma']);
    expect(parseParamSpec('14')).toEqual([14]);
  });
});
