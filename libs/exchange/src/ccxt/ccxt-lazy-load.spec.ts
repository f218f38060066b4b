import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

// ccxt costs ~0.4 s and ~100 MB at require time; only ccxt-loader may load it, on first use.
describe('ccxt is loaded lazily', () => {
  const root = join(__dirname, '..');
  const sources = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return sources(path);
      return entry.name.endsWith('.ts') && !/\.(spec|int-spec)\.ts$/.test(entry.name) ? [path] : [];
    });

  it('no module of @trading/exchange imports ccxt as a value at load time', () => {
    const offenders = sources(root)
      .filter((file) => !file.endsWith('ccxt-loader.ts'))
      .filter((file) => {
        const text = readFileSync(file, 'utf8');
        return /^import\s+(?!type\b)[^;]*from\s+'ccxt'/m.test(text) || /require\(\s*'ccxt'\s*\)/.test(text);
      })
      .map((file) => relative(root, file));
    expect(offenders).toEqual([]);
  });
});
