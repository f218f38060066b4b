import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { datasetPath } from '@trading/datasets';
import { createTestDatabase, repoRoot, TestDatabase, testRedisUrl, uniqueRedisNamespace } from '@trading/testing';

/**
 * `tradectl backtest` and `tradectl optimize` read the same candles from PostgreSQL market.ohlcv as from
 * the file they were imported from: same trades, same statistics, same ranking.
 */
describe('tradectl backtest/optimize candles from PostgreSQL', () => {
  let db: TestDatabase;
  const cli = (args: string[]) =>
    spawnSync(process.execPath, [path.join(repoRoot, 'dist/apps/cli/src/main.js'), ...args], {
      encoding: 'utf8',
      env: { ...process.env, DATABASE_URL: db.url, REDIS_URL: testRedisUrl(), REDIS_NAMESPACE: uniqueRedisNamespace('cli-source'), LOG_LEVEL: 'error' },
    });
  const json = (args: string[]) => {
    const run = cli(args);
    if (run.status !== 0) throw new Error(`tradectl ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
    return JSON.parse(run.stdout) as Record<string, unknown>;
  };
  const fromFile = ['--data', 'binance_BTCUSDT_1d_2020'];
  const fromDatabase = ['--exchange', 'binance', '--symbol', 'BTC/USDT', '--timeframe', '1d'];
  const strategy = ['--strategy', 'sma_cross', '--commission', '0.001'];

  beforeAll(async () => {
    execFileSync(process.execPath, [path.join(repoRoot, 'scripts/build.js'), '--quiet']);
    db = await createTestDatabase('cli_source');
    execFileSync(process.execPath, [path.join(repoRoot, 'dist/apps/market-data/src/migrate.js'), 'up'], { env: { ...process.env, DATABASE_URL: db.url } });
    const imported = json(['data', 'import', datasetPath('binance_BTCUSDT_1d_2020'), ...fromDatabase, '--json']);
    expect(imported).toMatchObject({ rows: 366, stored: 366 });
  }, 90_000);

  afterAll(async () => {
    await db?.drop();
  });

  it('backtests the stored series exactly as the file', () => {
    const params = ['--param', 'fast=5', '--param', 'slow=20'];
    const file = json(['backtest', ...fromFile, ...strategy, ...params, '--json']);
    const stored = json(['backtest', ...fromDatabase, ...strategy, ...params, '--json']);
    expect(stored.data).toBe('binance BTC/USDT 1d');
    expect((stored.stats as { trades: number }).trades).toBeGreaterThan(0);
    expect(stored.trades).toEqual(file.trades);
    expect(stored.stats).toEqual(file.stats);
  }, 60_000);

  it('optimizes over the stored series (a range with --from/--to) exactly as over the file', () => {
    const space = ['--param', 'fast=3:9:3', '--param', 'slow=15:30:5', '--workers', '0'];
    const file = json(['optimize', ...fromFile, ...strategy, ...space, '--json']);
    const stored = json(['optimize', ...fromDatabase, ...strategy, ...space, '--json']);
    expect(stored.candles).toBe(366);
    expect(stored.runs).toBe(12);
    expect(stored.ranked).toEqual(file.ranked);

    const firstHalf = json(['optimize', ...fromDatabase, '--from', '2020-01-01', '--to', '2020-07-01', ...strategy, ...space, '--json']);
    expect(firstHalf.candles).toBe(182);
    expect(firstHalf.data).toBe('binance BTC/USDT 1d from 2020-01-01 to 2020-07-01');
  }, 120_000);

  it('refuses --data together with --exchange, and an empty stored range, with a clear message', () => {
    const both = cli(['optimize', ...fromFile, ...fromDatabase, ...strategy, '--param', 'fast=5', '--json']);
    expect(both.status).not.toBe(0);
    expect(both.stderr).toMatch(/either --data or --exchange/);
    const empty = cli(['optimize', '--exchange', 'binance', '--symbol', 'ETH/USDT', '--timeframe', '1d', ...strategy, '--param', 'fast=5', '--json']);
    expect(empty.status).not.toBe(0);
    expect(empty.stderr).toMatch(/no candles in market.ohlcv for binance ETH\/USDT 1d/);
  }, 60_000);
});
