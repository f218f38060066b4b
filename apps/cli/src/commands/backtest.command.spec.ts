import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { registerBacktestCommand } from './backtest.command';
import { registerOptimizeCommand } from './optimize.command';

async function runCli(args: string[]): Promise<{ stdout: string; stderr: string }> {
  const program = new Command().exitOverride();
  registerBacktestCommand(program);
  registerOptimizeCommand(program);
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const log = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void (stdout += a.join(' ') + '\n'));
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  try {
    await program.parseAsync(['node', 'tradectl', ...args]);
  } finally {
    out.mockRestore();
    log.mockRestore();
    err.mockRestore();
  }
  return { stdout, stderr };
}

describe('tradectl backtest / optimize', () => {
  const dir = mkdtempSync(join(tmpdir(), 'backtest-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('--json prints exactly one JSON document with the documented shape, --report writes HTML', async () => {
    const report = join(dir, 'report.html');
    const { stdout } = await runCli([
      'backtest', '--data', 'binance_BTCUSDT_1d_2020', '--strategy', 'sma_cross', '--param', 'fast=10', '--param', 'slow=30',
      '--commission', '0.001', '--json', '--report', report,
    ]);
    const result = JSON.parse(stdout);
    expect(Object.keys(result)).toEqual(expect.arrayContaining(['stats', 'trades', 'openPosition', 'equity']));
    expect(result.params).toEqual({ fast: 10, slow: 30 });
    expect(result.equity).toHaveLength(366);
    expect(result.stats.trades).toBe(result.trades.length);
    expect(result.trades[0]).toEqual(
      expect.objectContaining({ side: 'long', entryTime: expect.stringMatching(/Z$/), qty: expect.any(Number), commission: expect.any(Number) }),
    );
    expect(readFileSync(report, 'utf8')).toContain('<svg');
  });

  it('rejects conflicting sizing options', async () => {
    await expect(runCli(['backtest', '--data', 'binance_BTCUSDT_1d_2020', '--strategy', 'sma_cross', '--size', '0.5', '--risk', '0.01'])).rejects.toThrow(
      /only one of --size/,
    );
  });

  it('optimize --json ranks a grid', async () => {
    const { stdout } = await runCli([
      'optimize', '--data', 'binance_BTCUSDT_1d_2020', '--strategy', 'sma_cross', '--param', 'fast=5:15:5', '--param', 'slow=20,40',
      '--metric', 'returnPct', '--workers', '0', '--json',
    ]);
    const result = JSON.parse(stdout);
    expect(result.runs).toBe(6);
    expect(result.ranked).toHaveLength(6);
    const metrics = result.ranked.map((r: { metric: number }) => r.metric);
    expect([...metrics].sort((a, b) => b - a)).toEqual(metrics);
  });
});
