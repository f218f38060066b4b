import type { ParamRange, ParamSpace, ParamValue, StrategyParams } from './optimizer.types';

const isRange = (v: readonly ParamValue[] | ParamRange): v is ParamRange => !Array.isArray(v);

/** Values of a range, computed by index so that float steps do not drift (0.1 + 0.2 ...). */
export function rangeValues(r: ParamRange): number[] {
  if (!(r.step > 0) || !Number.isFinite(r.min) || !Number.isFinite(r.max) || r.max < r.min) {
    throw new Error(`invalid range ${r.min}:${r.max}:${r.step} (need min <= max and step > 0)`);
  }
  const count = Math.floor((r.max - r.min) / r.step + 1e-9) + 1;
  const decimals = Math.max(decimalsOf(r.min), decimalsOf(r.step));
  return Array.from({ length: count }, (_, i) => Number((r.min + i * r.step).toFixed(decimals)));
}

function decimalsOf(x: number): number {
  const s = String(x);
  const dot = s.indexOf('.');
  return dot < 0 ? 0 : s.length - dot - 1;
}

function valuesOf(space: ParamSpace): [string, readonly ParamValue[]][] {
  return Object.entries(space).map(([k, v]) => {
    const values = isRange(v) ? rangeValues(v) : v;
    if (values.length === 0) throw new Error(`parameter "${k}" has no values`);
    return [k, values];
  });
}

/** Every combination (cartesian product), in a stable order. */
export function gridCombinations(space: ParamSpace): StrategyParams[] {
  let combos: Record<string, ParamValue>[] = [{}];
  for (const [key, values] of valuesOf(space)) {
    combos = combos.flatMap((c) => values.map((v) => ({ ...c, [key]: v })));
  }
  return combos;
}

/** Deterministic PRNG (mulberry32), uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `samples` distinct combinations drawn uniformly from the grid (all of it when smaller). */
export function randomCombinations(space: ParamSpace, samples: number, seed = 1): StrategyParams[] {
  if (!Number.isInteger(samples) || samples < 1) throw new Error(`samples must be a positive integer, got ${samples}`);
  const axes = valuesOf(space);
  const total = axes.reduce((n, [, v]) => n * v.length, 1);
  if (samples >= total) return gridCombinations(space);
  const random = seededRandom(seed);
  const picked = new Set<number>();
  while (picked.size < samples) picked.add(Math.floor(random() * total));
  return [...picked].map((index) => {
    const picks: ParamValue[] = new Array(axes.length);
    let rest = index;
    for (let a = axes.length - 1; a >= 0; a--) {
      const values = axes[a][1];
      picks[a] = values[rest % values.length];
      rest = Math.floor(rest / values.length);
    }
    return Object.fromEntries(axes.map(([key], a) => [key, picks[a]]));
  });
}

/** Parses `min:max:step` into a range, `a,b,c` into values, anything else into one value. */
export function parseParamSpec(spec: string): readonly ParamValue[] | ParamRange {
  const parts = spec.split(':');
  if (parts.length === 3) {
    const [min, max, step] = parts.map(Number);
    if ([min, max, step].some((x) => !Number.isFinite(x))) throw new Error(`invalid range "${spec}" (expected min:max:step)`);
    return { min, max, step };
  }
  return spec.split(',').map(parseParamValue);
}

export function parseParamValue(text: string): ParamValue {
  const t = text.trim();
  if (t === 'true' || t === 'false') return t === 'true';
  if (t !== '' && Number.isFinite(Number(t))) return Number(t);
  return t;
}
