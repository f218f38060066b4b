import { datasetPath } from '@trading/datasets';
import { Command } from 'commander';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseIndicatorSpec, registerIndicatorsCommand } from './indicators.command';

async function tradectl(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  const program = new Command().exitOverride();
  registerIndicatorsCommand(program);
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    await program.parseAsync(['node', 'tradectl', 'indicators', ...args]);
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return { stdout, stderr };
}

describe('tradectl indicators', () => {
  let dir: string;
  let file: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'indicators-cli-'));
    file = join(dir, 'bars.csv');
    // closes 1..6; high = close + 1, low = close - 0.5, volume 10
    writeFileSync(
      file,
      'time,open,high,low,close,volume\n' +
        [1, 2, 3, 4, 5, 6].map((c, i) => `${1_700_000_000 + i * 60},${c},${c + 1},${c - 0.5},${c},10`).join('\n') +
        '\n',
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints one JSON object per candle, null during warm-up, nested multi-output values', async () => {
    const { stdout } = await tradectl('--data', file, '--spec', 'sma:3,ema:3,macd:2:3:2,bb:3:2,stoch:2:1:2,obv');
    const rows = JSON.parse(stdout);
    expect(rows).toHaveLength(6);
    expect(rows[0]).toEqual({
      time: '2023-11-14T22:13:20.000Z',
      'sma:3': null,
      'ema:3': null,
      'macd:2:3:2': { macd: null, signal: null, histogram: null },
      'bb:3:2': { upper: null, middle: null, lower: null },
      'stoch:2:1:2': { k: null, d: null },
      obv: 10,
    });
    // at close 3: SMA3 = EMA3 = 2; MACD = EMA2 (2.5) - EMA3 (2) = 0.5; bands 2 +/- 2*sqrt(2/3)
    // stoch 2 over bars 1-2: highest high 4, lowest low 1.5 -> 100 * (3 - 1.5) / 2.5 = 60
    expect(rows[2]['sma:3']).toBe(2);
    expect(rows[2]['ema:3']).toBe(2);
    expect(rows[2]['macd:2:3:2']).toEqual({ macd: 0.5, signal: null, histogram: null });
    expect(rows[2]['bb:3:2'].upper).toBeCloseTo(2 + 2 * Math.sqrt(2 / 3), 12);
    expect(rows[2]['stoch:2:1:2'].k).toBeCloseTo(60, 12);
    expect(rows[5].obv).toBe(60);
  });

  it('prints a flat CSV with key.field columns', async () => {
    const { stdout } = await tradectl('--data', file, '--spec', 'rsi:2,macd:2:3:2', '--csv');
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe('time,rsi:2,macd:2:3:2.macd,macd:2:3:2.signal,macd:2:3:2.histogram');
    expect(lines[1]).toBe('2023-11-14T22:13:20.000Z,,,,');
    // only gains: RSI 100; MACD of a straight line is constant 0.5, so histogram 0
    expect(lines[4]).toBe('2023-11-14T22:16:20.000Z,100,0.5,0.5,0');
  });

  it('fills default periods into the keys and supports wma, vwap, atr, adx', async () => {
    const { stdout } = await tradectl('--data', datasetPath('binance_BTCUSDT_1d_2020'), '--spec', 'wma,vwap,vwap:5,atr,adx,stoch');
    const rows = JSON.parse(stdout);
    expect(rows).toHaveLength(366);
    expect(Object.keys(rows[0])).toEqual(['time', 'wma:20', 'vwap', 'vwap:5', 'atr:14', 'adx:14', 'stoch:14:3:3']);
    expect(rows[13]['atr:14']).toBeNull();
    expect(rows[14]['atr:14']).toEqual(expect.any(Number));
    expect(rows[26]['adx:14']).toBeNull();
    expect(rows[27]['adx:14']).toEqual(expect.any(Number));
  });

  it('warns about skipped rows on stderr and keeps stdout pure JSON', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'date,open,high,low,close,volume\n2024-01-01,1,2,1,2,1\n2024-01-02,1,0.5,1,2,1\n');
    const { stdout, stderr } = await tradectl('--data', bad, '--spec', 'sma:1');
    expect(JSON.parse(stdout)).toEqual([{ time: '2024-01-01T00:00:00.000Z', 'sma:1': 2 }]);
    expect(stderr).toBe(`skipped 1 invalid row(s) of ${bad}: line 3: high 0.5 is below max(open, close, low) 2\n`);
  });

  it.each([
    ['foo:3', 'unknown indicator "foo" in --spec "foo:3"; known: sma, ema, wma, rsi, macd, bb, atr, stoch, vwap, obv, adx'],
    ['sma:0', '"sma:0": parameter 1 must be a positive integer, got "0"'],
    ['sma:2.5', '"sma:2.5": parameter 1 must be a positive integer, got "2.5"'],
    ['macd:26:12:9', '"macd:26:12:9": MACD fast period 26 must be below slow period 12'],
    ['obv:3', '"obv:3": obv takes no parameter(s)'],
    ['sma:20,sma', '"sma" is requested twice (as sma:20)'],
    ['', '--spec is empty'],
  ])('rejects --spec "%s"', async (spec, message) => {
    await expect(tradectl('--data', file, '--spec', spec)).rejects.toThrow(message);
  });

  it('accepts a fractional band width', () => {
    expect(parseIndicatorSpec('bb:20:2.5').map((c) => c.key)).toEqual(['bb:20:2.5']);
  });
});
