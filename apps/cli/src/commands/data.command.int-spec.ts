import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { createTestDatabase, repoRoot, TestDatabase, testRedisUrl, uniqueRedisNamespace } from '@trading/testing';

/** `tradectl data import` end to end: good rows stored, every bad row reported with its line and reason. */
describe('tradectl data import', () => {
  let db: TestDatabase;
  const cli = (args: string[]) =>
    spawnSync(process.execPath, [path.join(repoRoot, 'dist/apps/cli/src/main.js'), ...args], {
      encoding: 'utf8',
      env: { ...process.env, DATABASE_URL: db.url, REDIS_URL: testRedisUrl(), REDIS_NAMESPACE: uniqueRedisNamespace('cli-data'), LOG_LEVEL: 'error' },
    });

  beforeAll(async () => {
    execFileSync(process.execPath, [path.join(repoRoot, 'scripts/build.js'), '--quiet']);
    db = await createTestDatabase('cli_data');
    execFileSync(process.execPath, [path.join(repoRoot, 'dist/apps/market-data/src/migrate.js'), 'up'], { env: { ...process.env, DATABASE_URL: db.url } });
  }, 60_000);

  afterAll(async () => {
    await db?.drop();
  });

  it('stores the good rows, reports each bad one with its line number, and adds nothing the second time', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cli-data-'));
    const file = path.join(dir, 'eth.csv');
    writeFileSync(
      file,
      [
        'Date,Open,High,Low,Close,Volume',
        '2020-01-01,130.0,133.5,128.0,132.1,1000',
        '2020-01-02,132.1,131.0,127.0,127.5,900',
        '2020-01-03,127.5,135.0,126.0,134.2,abc',
        '2020-01-04,134.2,140.0,133.0,139.9,1100',
        '2099-01-01,1,1,1,1,1',
      ].join('\n'),
    );
    const first = cli(['data', 'import', file, '--exchange', 'binance', '--symbol', 'ETH/USDT', '--timeframe', '1d', '--json']);
    expect(first.status).toBe(0);
    const report = JSON.parse(first.stdout) as { rows: number; stored: number; rejected: { line: number; reason: string }[] };
    expect(report.rows).toBe(5);
    expect(report.stored).toBe(2);
    expect(report.rejected.map((r) => r.line)).toEqual([3, 4, 6]);
    expect(report.rejected[0].reason).toMatch(/high/);
    expect(report.rejected[1].reason).toMatch(/volume/);
    expect(report.rejected[2].reason).toMatch(/not closed yet/);

    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    const rows = await pg.query("SELECT to_char(open_time AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, close FROM market.ohlcv WHERE symbol = 'ETH/USDT' ORDER BY open_time");
    expect(rows.rows).toEqual([
      { day: '2020-01-01', close: '132.10000000' },
      { day: '2020-01-04', close: '139.90000000' },
    ]);
    const partition = await pg.query("SELECT tableoid::regclass::text AS p FROM market.ohlcv WHERE symbol = 'ETH/USDT' LIMIT 1");
    expect(partition.rows[0].p).toBe('market.ohlcv_y2020m01');
    await pg.end();

    const second = cli(['data', 'import', file, '--exchange', 'binance', '--symbol', 'ETH/USDT', '--timeframe', '1d', '--json']);
    expect(JSON.parse(second.stdout)).toMatchObject({ stored: 0, alreadyStored: 2 });
  }, 60_000);

  it('fails with a clear message on a missing option', () => {
    const result = cli(['data', 'import', '/nonexistent.csv', '--exchange', 'binance']);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/--symbol/);
  });
});
