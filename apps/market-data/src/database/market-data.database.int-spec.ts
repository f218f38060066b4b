import { DataSource } from 'typeorm';
import { migrateDownAll, migrateUp, schemaDrift, serviceDataSourceOptions } from '@trading/database';
import { TestDatabase } from '@trading/testing';
import { migratedDataSource } from '../../test/market-data.harness';
import { CandleRepository, CandleRow } from '../candles/candle.repository';
import { OhlcvPartitionMaintenance, ohlcvPartitionName } from '../partitions/ohlcv-partition-maintenance';
import { TradingPairRepository } from '../pairs/trading-pair.repository';
import { TickerRepository } from '../tickers/ticker.repository';
import { definitionDrift } from '@trading/database';
import { marketDataDatabase } from './market-data.database';

const MINUTE = 60_000;
const monthsFrom = (at: Date, n: number) => new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + n, 1));
const candle = (openTime: Date, overrides: Partial<CandleRow> = {}): CandleRow => ({
  exchange: 'binance',
  symbol: 'BTC/USDT',
  timeframe: '1m',
  openTime,
  open: '43210.12345678',
  high: '43300.00000001',
  low: '43100.5',
  close: '43250',
  volume: '12.34567891',
  ...overrides,
});

describe('market-data database', () => {
  let db: TestDatabase;
  let ds: DataSource;
  // The migration created partitions from the database's clock: read it rather than assume the same month.
  let now = new Date();
  const migrationCount = Object.values(marketDataDatabase.migrations).length;

  const tables = async (): Promise<string[]> =>
    (await ds.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'market' ORDER BY table_name`)).map(
      (r: { table_name: string }) => r.table_name,
    );
  const expectedTables = () =>
    ['migrations', 'ohlcv', 'ohlcv_default', 'outbox', ...[0, 1, 2, 3].map((n) => ohlcvPartitionName(monthsFrom(now, n))), 'tickers', 'trading_pairs'].sort();
  const partitionOf = async (openTime: Date, symbol = 'BTC/USDT'): Promise<string> =>
    (await ds.query(`SELECT tableoid::regclass::text AS p FROM market.ohlcv WHERE symbol = $1 AND open_time = $2`, [symbol, openTime]))[0]?.p;
  const refused = (sql: string, params: unknown[], constraint: string) => expect(ds.query(sql, params)).rejects.toMatchObject({ constraint });
  const insertCandle = `INSERT INTO market.ohlcv (exchange, symbol, timeframe, open_time, open, high, low, close, volume, source)
                        VALUES ('binance', 'ETH/USDT', '1h', $1, $2, $3, $4, $5, $6, $7)`;

  beforeAll(async () => {
    ({ db, ds } = await migratedDataSource('market_db', 3));
    now = (await ds.query(`SELECT now() AS now`))[0].now;
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('migrates an empty database into the market tables with partitions for this month and the next three, with no drift from the entities (columns, constraints, index definitions)', async () => {
    expect(await tables()).toEqual(expectedTables());
    expect(await schemaDrift(marketDataDatabase, db.url)).toEqual([]);
    expect(await definitionDrift(marketDataDatabase, db.url)).toEqual([]);
  });

  describe('constraints', () => {
    it('refuses a candle whose high is below its low, or below open/close', async () => {
      await refused(insertCandle, [now, '100', '90', '95', '98', '1', 'exchange'], 'chk_ohlcv_valid_ohlc');
      await refused(insertCandle, [now, '100', '99', '95', '98', '1', 'exchange'], 'chk_ohlcv_valid_ohlc');
    });

    it('refuses non-positive prices, negative volume and unknown sources', async () => {
      await refused(insertCandle, [now, '0', '1', '0', '1', '1', 'exchange'], 'chk_ohlcv_positive_prices');
      await refused(insertCandle, [now, '1', '1', '1', '1', '-0.1', 'exchange'], 'chk_ohlcv_non_negative_volume');
      await refused(insertCandle, [now, '1', '1', '1', '1', '1', 'made_up'], 'chk_ohlcv_source');
    });

    it('refuses a second candle for the same series and open time', async () => {
      const t = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1, 5));
      await ds.query(insertCandle, [t, '1', '1', '1', '1', '1', 'exchange']);
      await expect(ds.query(insertCandle, [t, '1', '1', '1', '1', '1', 'backfill'])).rejects.toMatchObject({ code: '23505' });
      await ds.query(`DELETE FROM market.ohlcv WHERE symbol = 'ETH/USDT'`);
    });

    it('refuses a duplicate market, a symbol not made of base/quote, inverted order sizes and absurd fees', async () => {
      const sql = `INSERT INTO market.trading_pairs (id, exchange, symbol, base, quote, min_order_size, max_order_size, taker_fee)
                   VALUES (gen_random_uuid(), 'kraken', $1, $2, $3, $4, $5, $6)`;
      await ds.query(sql, ['SOL/USDT', 'SOL', 'USDT', '0.01', '1000', '0.001']);
      await refused(sql, ['SOL/USDT', 'SOL', 'USDT', '0.01', '1000', '0.001'], 'uq_trading_pairs_exchange_symbol');
      await refused(sql, ['SOL/USDT', 'SOL', 'BTC', '0.01', '1000', '0.001'], 'chk_trading_pairs_symbol');
      await refused(sql, ['ADA/USDT', 'ADA', 'USDT', '10', '1', '0.001'], 'chk_trading_pairs_order_size');
      await refused(sql, ['XRP/USDT', 'XRP', 'USDT', '1', '10', '1.5'], 'chk_trading_pairs_fees');
      await ds.query(sql, ['BTC/USDT:USDT', 'BTC', 'USDT', '0.001', '100', '0.0005']);
    });

    it('refuses a ticker with a non-positive last price', async () => {
      await refused(`INSERT INTO market.tickers (exchange, symbol, last, time) VALUES ('binance', 'BTC/USDT', 0, now())`, [], 'chk_tickers_positive_prices');
    });
  });

  describe('partitions', () => {
    it('routes a candle of a month without a partition to the default partition', async () => {
      const t = new Date('2019-03-15T10:00:00Z');
      await new CandleRepository(ds).insertMany([candle(t, { symbol: 'LTC/USDT', source: 'backfill' })]);
      expect(await partitionOf(t, 'LTC/USDT')).toBe('market.ohlcv_default');
    });

    it('creates missing monthly partitions and moves the waiting rows into them', async () => {
      const maintenance = new OhlcvPartitionMaintenance(ds);
      const t = new Date('2019-03-15T10:00:00Z');
      expect(await maintenance.ensureMonths(new Date('2019-03-31T23:00:00Z'), 1)).toBe(1);
      expect(await partitionOf(t, 'LTC/USDT')).toBe('market.ohlcv_y2019m03');
      expect(await maintenance.defaultPartitionRowCount()).toBe(0);
      expect(await maintenance.ensureMonths(t, 1)).toBe(0);
    });

    it('the maintenance job creates the next months ahead and moves rows already waiting for them', async () => {
      const maintenance = new OhlcvPartitionMaintenance(ds);
      expect(await maintenance.run(now)).toBe(0);
      const waiting = new Date(monthsFrom(now, 5).getTime() + 3 * 86_400_000);
      await new CandleRepository(ds).insertMany([candle(waiting, { symbol: 'LTC/USDT' })]);
      expect(await partitionOf(waiting, 'LTC/USDT')).toBe('market.ohlcv_default');

      expect(await maintenance.run(now, 5)).toBe(2);
      expect(await partitionOf(waiting, 'LTC/USDT')).toBe(`market.${ohlcvPartitionName(waiting)}`);
      expect(await maintenance.defaultPartitionRowCount()).toBe(0);
      expect(await maintenance.listPartitions()).toEqual(
        ['ohlcv_y2019m03', ...[0, 1, 2, 3, 4, 5].map((n) => ohlcvPartitionName(monthsFrom(now, n)))].sort(),
      );
      await expect(maintenance.run(now, -1)).rejects.toThrow(/monthsAhead/);
    });
  });

  describe('repositories', () => {
    const start = new Date(monthsFrom(now, 1).getTime() - 500 * MINUTE);
    const series = Array.from({ length: 1000 }, (_, i) => candle(new Date(start.getTime() + i * MINUTE), { close: `43250.${String(i).padStart(8, '0')}` }));

    it('candles: bulk insert in chunks counts (or returns) only new rows, keeps numerics exact, spans partitions', async () => {
      const candles = new CandleRepository(ds);
      expect(await candles.insertMany(series.slice(0, 600), 256)).toBe(600);
      expect(await candles.insertMany(series, 256)).toBe(400);
      expect(await candles.insertMany(series)).toBe(0);
      expect(await candles.insertMany([])).toBe(0);
      const extra = candle(new Date(series[999].openTime.getTime() + MINUTE));
      expect(await candles.insertNew([series[998], extra, series[999]])).toEqual([{ exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1m', openTime: extra.openTime }]);
      await ds.query(`DELETE FROM market.ohlcv WHERE open_time = $1`, [extra.openTime]);
      const stored = await candles.findOne({ exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1m' }, series[999].openTime);
      expect(stored).toMatchObject({ open: '43210.12345678', high: '43300.00000001', low: '43100.50000000', close: '43250.00000999', volume: '12.34567891', source: 'exchange', quoteVolume: null });
      expect(await partitionOf(series[0].openTime)).toBe(`market.${ohlcvPartitionName(series[0].openTime)}`);
      expect(await partitionOf(series[999].openTime)).toBe(`market.${ohlcvPartitionName(series[999].openTime)}`);
      expect(ohlcvPartitionName(series[0].openTime)).not.toBe(ohlcvPartitionName(series[999].openTime));
    });

    it('candles: a range query pages through 1000 rows in open-time order without gaps or repeats', async () => {
      const candles = new CandleRepository(ds);
      const query = { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1m', from: series[0].openTime, to: new Date(series[999].openTime.getTime() + MINUTE) };
      const seen: number[] = [];
      let page = await candles.findRange({ ...query, limit: 300 });
      const pages = [page];
      while (page.next) {
        page = await candles.findRange({ ...query, limit: 300, after: page.next });
        pages.push(page);
      }
      for (const p of pages) seen.push(...p.items.map((c) => c.openTime.getTime()));
      expect(pages.map((p) => p.items.length)).toEqual([300, 300, 300, 100]);
      expect(seen).toEqual(series.map((c) => c.openTime.getTime()));

      const window = await candles.findRange({ ...query, from: series[10].openTime, to: series[20].openTime });
      expect(window.items.map((c) => c.close)).toEqual(series.slice(10, 20).map((c) => `${c.close}`));
      expect(window.next).toBeNull();

      const last3 = await candles.latest({ exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1m' }, 3);
      expect(last3.map((c) => c.openTime.getTime())).toEqual(series.slice(997).map((c) => c.openTime.getTime()));
      expect(await candles.lastOpenTime({ exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1m' })).toEqual(series[999].openTime);
      expect(await candles.lastOpenTime({ exchange: 'binance', symbol: 'DOGE/USDT', timeframe: '1m' })).toBeNull();
    });

    it('trading pairs: upsert by (exchange, symbol) keeps the id and refreshes filters', async () => {
      const pairs = new TradingPairRepository(ds);
      const [first] = await pairs.upsertMany([{ exchange: 'binance', symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', exchangeSymbol: 'BTCUSDT', tickSize: '0.01', stepSize: '0.00001', minNotional: '5' }]);
      expect(first).toMatchObject({ tickSize: '0.01000000', stepSize: '0.00001000', minNotional: '5.00000000', makerFee: '0.0010', takerFee: '0.0010', marketType: 'spot' });
      const [again, eth] = await pairs.upsertMany([
        { exchange: 'binance', symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', tickSize: '0.1', makerFee: '0.0002', takerFee: '0.0004' },
        { exchange: 'binance', symbol: 'ETH/USDT', base: 'ETH', quote: 'USDT', isActive: false },
      ]);
      expect(again).toMatchObject({ id: first.id, tickSize: '0.10000000', makerFee: '0.0002', takerFee: '0.0004' });
      expect((await pairs.findById(eth.id))?.symbol).toBe('ETH/USDT');
      expect((await pairs.findByExchangeSymbol('binance', 'BTC/USDT'))?.id).toBe(first.id);
      expect((await pairs.listActive('binance')).map((p) => p.symbol)).toEqual(['BTC/USDT']);
    });

    it('tickers: the newest ticker wins, an older one is ignored', async () => {
      const tickers = new TickerRepository(ds);
      const t0 = new Date('2026-01-01T00:00:00Z');
      expect(await tickers.upsert({ exchange: 'binance', symbol: 'BTC/USDT', last: '43000.1', bid: '43000', ask: '43000.2', percentage: '1.2345', time: t0 })).toBe(true);
      expect(await tickers.upsert({ exchange: 'binance', symbol: 'BTC/USDT', last: '43001.00000001', time: new Date(t0.getTime() + 1000) })).toBe(true);
      expect(await tickers.upsert({ exchange: 'binance', symbol: 'BTC/USDT', last: '1', time: t0 })).toBe(false);
      expect(await tickers.find('binance', 'BTC/USDT')).toMatchObject({ last: '43001.00000001', bid: null, time: new Date(t0.getTime() + 1000) });
      expect((await tickers.listByExchange('binance')).map((t) => t.symbol)).toEqual(['BTC/USDT']);
    });
  });

  it('migrates down to an empty schema (partitions and function included) and up again', async () => {
    await ds.destroy();
    expect(await migrateDownAll(marketDataDatabase, db.url)).toBe(migrationCount);
    ds = await new DataSource(serviceDataSourceOptions(marketDataDatabase, db.url, { poolSize: 1 })).initialize();
    expect(await tables()).toEqual(['migrations']);
    expect(await ds.query(`SELECT proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'market'`)).toEqual([]);
    await ds.destroy();
    expect(await migrateUp(marketDataDatabase, db.url)).toHaveLength(migrationCount);
    expect(await migrateUp(marketDataDatabase, db.url)).toEqual([]);
    ds = await new DataSource(serviceDataSourceOptions(marketDataDatabase, db.url, { poolSize: 1 })).initialize();
    expect(await tables()).toEqual(expectedTables());
    expect(await schemaDrift(marketDataDatabase, db.url)).toEqual([]);
  });
});
