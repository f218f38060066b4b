import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCandleFile } from './candle-file.reader';
import { datasetPath, listDatasets } from './shipped-datasets';

describe('readCandleFile over the shipped real data', () => {
  it.each([
    ['BTCUSDT_1m_2021-01-03', '1m', 1440, '2021-01-03T00:00:00.000Z', '2021-01-03T23:59:00.000Z'],
    ['coinbase_BTCUSD_1h_2017-07-01_2019-10-17', '1h', 20111, '2017-07-01T11:00:00.000Z', '2019-10-17T09:00:00.000Z'],
    ['binance_BTCUSDT_1d_2020', '1d', 366, '2020-01-01T00:00:00.000Z', '2020-12-31T00:00:00.000Z'],
    ['bitstamp_BTCUSD_1m_2020-01-01', '1m', 1440, '2020-01-01T00:00:00.000Z', '2020-01-01T23:59:00.000Z'],
    ['GOOG_1d_2004-08-19_2013-03-01', '1d', 2148, '2004-08-19T00:00:00.000Z', '2013-03-01T00:00:00.000Z'],
  ])('%s: every row is a valid %s candle', (name, timeframe, count, first, last) => {
    const { candles, rejected } = readCandleFile(datasetPath(name), { timeframe });
    expect(rejected).toEqual([]);
    expect(candles).toHaveLength(count);
    expect(new Date(candles[0].time).toISOString()).toBe(first);
    expect(new Date(candles[candles.length - 1].time).toISOString()).toBe(last);
  });

  it('keeps the exact decimal text next to the numbers', () => {
    const [first] = readCandleFile(datasetPath('BTCUSDT_1m_2021-01-03')).candles;
    expect(first).toEqual({
      time: Date.UTC(2021, 0, 3),
      open: 32176.45,
      high: 32250,
      low: 32165,
      close: 32216.22,
      volume: 101.804992,
      exact: { open: '32176.45000000', high: '32250.00000000', low: '32165.00000000', close: '32216.22000000', volume: '101.80499200' },
    });
  });

  it('reads the GOOG file whose dates sit in an unnamed first column', () => {
    const [first] = readCandleFile(datasetPath('GOOG_1d_2004-08-19_2013-03-01')).candles;
    expect(first.time).toBe(Date.UTC(2004, 7, 19));
    expect(first.exact).toEqual({ open: '100', high: '104.06', low: '95.96', close: '100.34', volume: '22351900' });
  });

  it('lists every shipped dataset with a path that exists and the advertised row count', () => {
    expect(listDatasets().map((d) => `${d.exchange} ${d.symbol} ${d.timeframe}`)).toEqual([
      'binance BTC/USDT 1m',
      'coinbase BTC/USD 1h',
      'binance BTC/USDT 1d',
      'bitstamp BTC/USD 1m',
      'nasdaq GOOG 1d',
    ]);
    for (const d of listDatasets()) expect(readCandleFile(datasetPath(d.name)).candles).toHaveLength(d.rows);
  });

  it('rejects an unknown dataset name with the list of shipped ones', () => {
    expect(() => datasetPath('nope')).toThrow(/unknown dataset "nope"; shipped: BTCUSDT_1m_2021-01-03/);
  });
});

describe('readCandleFile over bad files', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'datasets-spec-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function file(name: string, content: string): string {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  }

  it('rejects each bad CSV row with its line number and reason, and keeps the good ones', () => {
    const path = file(
      'bad.csv',
      [
        'Date,Open,High,Low,Close,Volume,Extra', // 1
        '2021-01-03T00:00:00Z,10,12,9,11,5,x', // 2 ok
        '2021-01-03T00:01:00Z,abc,12,9,11,5,x', // 3 bad number
        '2021-01-03T00:02:00Z,10,10.5,9,11,5,x', // 4 high < close
        '2021-01-03T00:03:00Z,10,12,10.5,11,5,x', // 5 low > open
        '2021-01-03T00:04:00Z,0,12,9,11,5,x', // 6 non-positive
        '2021-01-03T00:05:00Z,10,12,9,11,-1,x', // 7 negative volume
        '2021-01-03T00:01:00Z,10,12,9,11,5,x', // 8 ok (line 3 was rejected, so 00:01 is new)
        '2021-01-03T00:01:00Z,10,12,9,11,5,x', // 9 duplicate
        '2021-01-03T00:00:30Z,10,12,9,11,5,x', // 10 out of order
        '2021-01-03T00:06:30Z,10,12,9,11,5,x', // 11 off the 1m grid
        'yesterday,10,12,9,11,5,x', // 12 bad time
        '2021-01-03T00:07:00Z,10,12,9,11', // 13 short row
        '', // 14 empty, skipped
        '2021-01-03 00:08,10,12,9,11,5,x', // 15 ok (no seconds, no zone)
        '',
      ].join('\n'),
    );
    const { candles, rejected } = readCandleFile(path, { timeframe: '1m' });
    expect(rejected).toEqual([
      { line: 3, reason: 'invalid open "abc"' },
      { line: 4, reason: 'high 10.5 is below max(open, close, low) 11' },
      { line: 5, reason: 'low 10.5 is above min(open, close) 10' },
      { line: 6, reason: 'non-positive open 0' },
      { line: 7, reason: 'negative volume -1' },
      { line: 9, reason: 'duplicate timestamp 2021-01-03T00:01:00.000Z' },
      { line: 10, reason: 'out-of-order timestamp 2021-01-03T00:00:30.000Z after 2021-01-03T00:01:00.000Z' },
      { line: 11, reason: 'timestamp 2021-01-03T00:06:30.000Z is not on the 1m grid' },
      { line: 12, reason: 'invalid time "yesterday"' },
      { line: 13, reason: 'expected 7 columns, found 5' },
    ]);
    expect(candles.map((c) => new Date(c.time).toISOString())).toEqual([
      '2021-01-03T00:00:00.000Z',
      '2021-01-03T00:01:00.000Z',
      '2021-01-03T00:08:00.000Z',
    ]);
  });

  it('accepts off-grid times when no timeframe is given', () => {
    const path = file('nogrid.csv', 'time,open,high,low,close,volume\n1609632030,1,1,1,1,0\n');
    expect(readCandleFile(path).candles.map((c) => c.time)).toEqual([1609632030000]);
  });

  it('tells epoch seconds from milliseconds by magnitude', () => {
    const path = file(
      'epochs.csv',
      'timestamp,open,high,low,close,volume\n1609632000,1,2,1,2,3\n1609632060000,2,2,1,1,3\n',
    );
    expect(readCandleFile(path, { timeframe: '1m' }).candles.map((c) => c.time)).toEqual([1609632000000, 1609632060000]);
  });

  it('reads a date-only column as UTC midnight and an explicit offset as that zone', () => {
    const path = file(
      'dates.csv',
      'datetime,open,high,low,close,volume\n2020-01-01,1,2,1,2,3\n2020-01-02T01:00:00+01:00,1,2,1,2,3\n',
    );
    expect(readCandleFile(path, { timeframe: '1d' }).candles.map((c) => c.time)).toEqual([
      Date.UTC(2020, 0, 1),
      Date.UTC(2020, 0, 2),
    ]);
  });

  it('rejects impossible calendar dates', () => {
    const path = file('feb30.csv', 'date,open,high,low,close,volume\n2021-02-30,1,2,1,2,3\n');
    expect(readCandleFile(path).rejected).toEqual([{ line: 2, reason: 'invalid time "2021-02-30"' }]);
  });

  it('throws when a needed column is missing', () => {
    const noClose = file('noclose.csv', 'time,open,high,low,volume\n1,1,1,1,1\n');
    expect(() => readCandleFile(noClose)).toThrow('candle file has no "close" column');
    const noTime = file('notime.csv', 'open,high,low,close,volume\n1,1,1,1,1\n');
    expect(() => readCandleFile(noTime)).toThrow(/no time column/);
  });

  it('reads JSON arrays of objects and of arrays, reporting the line where each bad element starts', () => {
    const objects = file(
      'objects.json',
      `[
  {"timestamp": 1609632000000, "open": "10", "high": "12", "low": "9", "close": "11", "volume": "5"},
  {"timestamp": 1609632060000, "open": "10", "high": "8", "low": "9", "close": "11", "volume": "5"},
  {
    "Time": "2021-01-03T00:02:00Z", "Open": 10.5, "High": 12, "Low": 9, "Close": 11, "Volume": 0
  }
]`,
    );
    const parsed = readCandleFile(objects, { timeframe: '1m' });
    expect(parsed.rejected).toEqual([{ line: 3, reason: 'high 8 is below max(open, close, low) 11' }]);
    expect(parsed.candles.map((c) => [c.time, c.exact.open])).toEqual([
      [1609632000000, '10'],
      [1609632120000, '10.5'],
    ]);

    const arrays = file('arrays.json', '[[1609632000000,"1","2","1","2","3"],\n[1609632060000,"1","2"]]');
    expect(readCandleFile(arrays).rejected).toEqual([
      { line: 2, reason: 'expected [time, open, high, low, close, volume], found 3 values' },
    ]);
  });
});
