import { datasetPath, readCandleFile } from '@trading/datasets';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStrategy, getStrategy, listStrategies, unregisterStrategy } from './strategy-registry';
import { loadUserStrategies } from './user-strategies.loader';

const EXAMPLES = join(__dirname, '..', 'examples');

describe('loadUserStrategies', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'user-strategies-'))));
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    for (const name of ['close_above_sma', 'always_long', 'twin_a', 'twin_b']) unregisterStrategy(name);
  });

  it('registers the example file under its own name, validated and runnable', () => {
    expect(loadUserStrategies(EXAMPLES)).toEqual([{ name: 'close_above_sma', file: join(EXAMPLES, 'close-above-sma.js') }]);
    expect(listStrategies().map((d) => d.name)).toContain('close_above_sma');
    expect(getStrategy('close_above_sma').jsonSchema().properties).toEqual({
      period: { type: 'integer', description: 'SMA period', default: 50, minimum: 2, maximum: 1000 },
      confirm: {
        type: 'integer',
        description: 'closes in a row above the SMA needed to go long',
        default: 2,
        minimum: 1,
        maximum: 20,
      },
    });
    expect(() => createStrategy('close_above_sma', { period: 1, confirm: 0 })).toThrow(
      /period: period must not be less than 2; confirm: confirm must not be less than 1/,
    );
    const strategy = createStrategy('close_above_sma', { period: 20 });
    const { candles } = readCandleFile(datasetPath('BTCUSDT_1m_2021-01-03'));
    const targets = candles.map((c) => strategy.onCandle(c)?.target).filter(Boolean);
    expect(targets.length).toBeGreaterThan(2);
    expect(targets.slice(0, 2)).toEqual(['long', 'flat']);
  });

  it('accepts an array of definitions from one file and ignores other files', () => {
    writeFileSync(
      join(dir, 'twins.js'),
      `module.exports = ({ defineStrategy, validators }) => ['twin_a', 'twin_b'].map((name) => {
         class P { constructor() { this.n = 1; } }
         validators.IsInt()(P.prototype, 'n');
         validators.Min(1)(P.prototype, 'n');
         validators.Max(9)(P.prototype, 'n');
         return defineStrategy({ name, description: name, params: P, warmup: () => 1,
           create: () => ({ warmup: 1, onCandle: () => null }) });
       });`,
    );
    writeFileSync(join(dir, 'notes.txt'), 'not code');
    expect(loadUserStrategies(dir).map((s) => s.name)).toEqual(['twin_a', 'twin_b']);
  });

  it('refuses a file that does not export a definition, naming the file', () => {
    writeFileSync(join(dir, 'bad.js'), `module.exports = { name: 'bad', onCandle() { return null; } };`);
    expect(() => loadUserStrategies(dir)).toThrow(`${join(dir, 'bad.js')}: not a strategy definition (description missing)`);
  });

  it('refuses to replace a built-in', () => {
    writeFileSync(
      join(dir, 'clash.js'),
      `module.exports = ({ defineStrategy, validators }) => {
         class P { constructor() { this.n = 1; } }
         validators.IsInt()(P.prototype, 'n');
         validators.Min(1)(P.prototype, 'n');
         validators.Max(9)(P.prototype, 'n');
         return defineStrategy({ name: 'sma_cross', description: 'x', params: P, warmup: () => 1,
           create: () => ({ warmup: 1, onCandle: () => null }) });
       };`,
    );
    expect(() => loadUserStrategies(dir)).toThrow('strategy "sma_cross" is already registered');
  });
});
