import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DEFAULT_DATABASE_URL, dropDatabase, ensureDatabaseExists, withDatabaseName } from '@trading/database';
import { readCandlesFromDatabase } from './ohlcv-database.reader';

describe('readCandlesFromDatabase (real PostgreSQL)', () => {
  // Own database per run (other suites share the server); @trading/testing is off-limits to a domain lib.
  const url = withDatabaseName(process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL, `test_backtest_${Date.now().toString(36)}${randomBytes(3).toString('hex')}`);

  beforeAll(async () => {
    await ensureDatabaseExists(url);
    const client = new Client({ connectionString: url });
    await client.connect();
    // The columns market-data's migration creates (without the partitioning, irrelevant to reads).
    await client.query(`CREATE SCHEMA market`);
    await client.query(`CREATE TABLE market.ohlcv (
      exchange VARCHAR(50) NOT NULL, symbol VARCHAR(40) NOT NULL, timeframe VARCHAR(10) NOT NULL,
      open_time TIMESTAMPTZ NOT NULL, open NUMERIC(20,8) NOT NULL, high NUMERIC(20,8) NOT NULL,
      low NUMERIC(20,8) NOT NULL, close NUMERIC(20,8) NOT NULL, volume NUMERIC(20,8) NOT NULL,
      PRIMARY KEY (exchange, symbol, timeframe, open_time))`);
    await client.query(`INSERT INTO market.ohlcv VALUES
      ('binance', 'BTC/USDT', '1h', '2024-01-01T02:00:00Z', 102.5, 103, 101, 102.12345678, 7),
      ('binance', 'BTC/USDT', '1h', '2024-01-01T00:00:00Z', 100, 101, 99, 100.5, 5),
      ('binance', 'BTC/USDT', '1h', '2024-01-01T01:00:00Z', 100.5, 103, 100, 102.5, 6),
      ('binance', 'BTC/USDT', '1d', '2024-01-01T00:00:00Z', 100, 110, 90, 105, 50),
      ('kraken', 'BTC/USDT', '1h', '2024-01-01T00:00:00Z', 1, 1, 1, 1, 1)`);
    await client.end();
  });

  afterAll(async () => {
    await dropDatabase(url);
  });

  it('reads one market, oldest first, with exact decimals', async () => {
    const candles = await readCandlesFromDatabase(url, { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h' });
    expect(candles.map((c) => new Date(c.time).toISOString())).toEqual(['2024-01-01T00:00:00.000Z', '2024-01-01T01:00:00.000Z', '2024-01-01T02:00:00.000Z']);
    expect(candles[2].close).toBe(102.12345678);
    expect(candles[2].exact).toEqual({ open: '102.50000000', high: '103.00000000', low: '101.00000000', close: '102.12345678', volume: '7.00000000' });
  });

  it('filters by [from, to)', async () => {
    const candles = await readCandlesFromDatabase(url, {
      exchange: 'binance',
      symbol: 'BTC/USDT',
      timeframe: '1h',
      from: new Date('2024-01-01T01:00:00Z'),
      to: new Date('2024-01-01T02:00:00Z'),
    });
    expect(candles.map((c) => c.open)).toEqual([100.5]);
  });
});
