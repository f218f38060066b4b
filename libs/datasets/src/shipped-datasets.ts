import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** A real candle file shipped in libs/datasets/data (provenance in data/SOURCES.md). */
export interface DatasetInfo {
  readonly name: string;
  readonly file: string;
  readonly exchange: string;
  readonly symbol: string;
  readonly timeframe: string;
  readonly rows: number;
  readonly description: string;
}

export const SHIPPED_DATASETS: readonly DatasetInfo[] = [
  {
    name: 'BTCUSDT_1m_2021-01-03',
    file: 'BTCUSDT_1m_2021-01-03.csv',
    exchange: 'binance',
    symbol: 'BTC/USDT',
    timeframe: '1m',
    rows: 1440,
    description: 'Binance BTC/USDT 1-minute klines, 2021-01-03 (one full day)',
  },
  {
    name: 'coinbase_BTCUSD_1h_2017-07-01_2019-10-17',
    file: 'coinbase_BTCUSD_1h_2017-07-01_2019-10-17.csv',
    exchange: 'coinbase',
    symbol: 'BTC/USD',
    timeframe: '1h',
    rows: 20111,
    description: 'Coinbase BTC/USD hourly, 2017-07-01 to 2019-10-17',
  },
  {
    name: 'binance_BTCUSDT_1d_2020',
    file: 'binance_BTCUSDT_1d_2020.csv',
    exchange: 'binance',
    symbol: 'BTC/USDT',
    timeframe: '1d',
    rows: 366,
    description: 'Binance BTC/USDT daily, 2020',
  },
  {
    name: 'bitstamp_BTCUSD_1m_2020-01-01',
    file: 'bitstamp_BTCUSD_1m_2020-01-01.csv',
    exchange: 'bitstamp',
    symbol: 'BTC/USD',
    timeframe: '1m',
    rows: 1440,
    description: 'Bitstamp BTC/USD 1-minute, 2020-01-01',
  },
  {
    name: 'GOOG_1d_2004-08-19_2013-03-01',
    file: 'GOOG_1d_2004-08-19_2013-03-01.csv',
    exchange: 'nasdaq',
    symbol: 'GOOG',
    timeframe: '1d',
    rows: 2148,
    description: 'NASDAQ GOOG daily (trading days only), 2004-08-19 to 2013-03-01',
  },
];

export function listDatasets(): readonly DatasetInfo[] {
  return SHIPPED_DATASETS;
}

export function getDataset(name: string): DatasetInfo {
  const wanted = name.replace(/\.csv$/, '');
  const found = SHIPPED_DATASETS.find((d) => d.name === wanted);
  if (!found) throw new Error(`unknown dataset "${name}"; shipped: ${SHIPPED_DATASETS.map((d) => d.name).join(', ')}`);
  return found;
}

/** Absolute path of a shipped dataset file, from sources (libs/) or from the compiled dist/ tree. */
export function datasetPath(name: string): string {
  return join(datasetsDataDir(), getDataset(name).file);
}

let cachedDataDir: string | undefined;

/** The folder holding the shipped files: libs/datasets/data, found by walking up from this module. */
export function datasetsDataDir(): string {
  if (cachedDataDir) return cachedDataDir;
  let dir = __dirname;
  for (;;) {
    const candidate = join(dir, 'libs', 'datasets', 'data');
    if (existsSync(join(candidate, 'SOURCES.md'))) return (cachedDataDir = candidate);
    const own = join(dir, 'data');
    if (existsSync(join(own, 'SOURCES.md')) && existsSync(join(own, SHIPPED_DATASETS[0].file))) return (cachedDataDir = own);
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`shipped datasets not found above ${__dirname} (expected libs/datasets/data)`);
    dir = parent;
  }
}
