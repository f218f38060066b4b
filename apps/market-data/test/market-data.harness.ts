import { execFileSync } from 'node:child_process';
import path from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { ENVELOPE_FIELD, StreamName, Streams } from '@trading/contracts';
import { migrateUp, serviceDataSourceOptions } from '@trading/database';
import { loadConfig } from '@trading/service-runtime';
import { OutboxRelay, streamKey } from '@trading/streams';
import {
  createTestDatabase,
  freePort,
  repoRoot,
  spawnNode,
  SpawnedProcess,
  TestDatabase,
  testRedisUrl,
  uniqueRedisNamespace,
  waitFor,
} from '@trading/testing';
import { CandleRepository } from '../src/candles/candle.repository';
import { MarketDataEnv } from '../src/config/market-data.env';
import { marketDataDatabase } from '../src/database/market-data.database';
import { IngestService } from '../src/ingest/ingest.service';
import { MARKET_OUTBOX_SCHEMA } from '../src/outbox/market-outbox';
import { TickerRepository } from '../src/tickers/ticker.repository';

/**
 * Setup and teardown shared by market-data's integration specs: the built service in a database and Redis namespace
 * of its own (process-level specs), and the ingest path wired by hand on a migrated DataSource (in-process specs).
 * Only setup, waiting and reading live here; every assertion stays in its spec.
 */

export const MARKET_DATA_MAIN = 'dist/apps/market-data/src/main.js';
const MARKET_DATA_MIGRATE = 'dist/apps/market-data/src/migrate.js';
const CLI_MAIN = 'dist/apps/cli/src/main.js';
/** How much of a process's output a timed-out wait shows. */
const LOG_TAIL_CHARS = 3000;

export interface WaitOptions {
  what: string;
  timeoutMs?: number;
  intervalMs?: number;
}

/** Builds dist/: the process-level specs run the built service and its migrate.js, as a deployment does. */
export function buildDist(): void {
  execFileSync(process.execPath, [path.join(repoRoot, 'scripts/build.js'), '--quiet']);
}

/** Applies market-data's migrations to the database at `databaseUrl` with the built migrate.js. */
export function migrateMarketData(databaseUrl: string): void {
  execFileSync(process.execPath, [path.join(repoRoot, MARKET_DATA_MIGRATE), 'up'], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
  });
}

/** The wait's error, with the end of the process's output appended (what the service logged before it timed out). */
function withLogs(error: Error, logsOf: SpawnedProcess | undefined): Error {
  return new Error(`${error.message}\n${logsOf?.output().slice(-LOG_TAIL_CHARS)}`);
}

/** A database of its own migrated for market-data, and a pg client on it. */
export class MarketDataDb {
  private constructor(
    private readonly database: TestDatabase,
    readonly pg: Client,
  ) {}

  static async create(label: string): Promise<MarketDataDb> {
    const database = await createTestDatabase(label);
    try {
      migrateMarketData(database.url);
      const pg = new Client({ connectionString: database.url });
      await pg.connect();
      return new MarketDataDb(database, pg);
    } catch (error) {
      await database.drop();
      throw error;
    }
  }

  get url(): string {
    return this.database.url;
  }

  /** Stored candles of one timeframe, all markets. */
  async candleCount(timeframe: string): Promise<number> {
    const [row] = (
      await this.pg.query<{ n: number }>('SELECT count(*)::int AS n FROM market.ohlcv WHERE timeframe = $1', [
        timeframe,
      ])
    ).rows;
    return row?.n ?? 0;
  }

  /** Stored candles per timeframe, all markets. */
  async countsByTimeframe(): Promise<Record<string, number>> {
    const rows = await this.pg.query<{ timeframe: string; n: string }>(
      'SELECT timeframe, count(*) AS n FROM market.ohlcv GROUP BY timeframe',
    );
    return Object.fromEntries(rows.rows.map((r) => [r.timeframe, Number(r.n)]));
  }

  /** Waits until each timeframe in `counts` has exactly that many candles; a timeout shows the logs of `by`. */
  async waitForCandles(
    counts: Record<string, number>,
    by: SpawnedProcess,
    { what, timeoutMs = 60_000, intervalMs = 250 }: WaitOptions,
  ): Promise<void> {
    const reached = async () => {
      for (const [timeframe, n] of Object.entries(counts)) if ((await this.candleCount(timeframe)) !== n) return false;
      return true;
    };
    await waitFor(reached, { what, timeoutMs, intervalMs }).catch((e: Error) => {
      throw withLogs(e, by);
    });
  }

  /**
   * Resolves once market.outbox holds no unpublished event: the rows a spec waited for are committed before their
   * events reach the stream (the relay publishes after the commit), so read the stream after this.
   */
  async outboxDrained({ timeoutMs = 10_000 }: { timeoutMs?: number } = {}): Promise<void> {
    await waitFor(
      async () => (await this.pg.query<{ n: number }>('SELECT count(*)::int AS n FROM market.outbox WHERE published_at IS NULL')).rows[0]?.n === 0,
      { what: 'market.outbox to be published', timeoutMs, intervalMs: 20 },
    );
  }

  async drop(): Promise<void> {
    await this.pg.end();
    await this.database.drop();
  }
}

/** An event as it stands on a stream (the envelope's fields a spec reads). */
export interface StreamEvent<P = Record<string, unknown>> {
  id: string;
  type: string;
  payload: P;
}

/** A Redis key namespace of its own and a client for it; `close()` deletes every key under it. */
export class RedisNamespace {
  readonly ns: string;

  constructor(
    label: string,
    readonly redis: Redis = new Redis(testRedisUrl()),
  ) {
    this.ns = uniqueRedisNamespace(label);
  }

  /** A key under this namespace, written as the services write theirs. */
  key(name: string): string {
    return streamKey(this.ns, name);
  }

  /** Every event on `stream`, oldest first. */
  async events<E>(stream: StreamName): Promise<E[]> {
    const entries = await this.redis.xrange(this.key(stream), '-', '+');
    return entries.map(([id, fields]) => {
      const at = fields.indexOf(ENVELOPE_FIELD);
      if (at < 0) throw new Error(`entry ${id} of ${stream} has no ${ENVELOPE_FIELD} field`);
      return JSON.parse(String(fields[at + 1])) as E;
    });
  }

  marketDataEvents<E = StreamEvent>(): Promise<E[]> {
    return this.events<E>(Streams.MarketData);
  }

  auditEvents<E = StreamEvent>(): Promise<E[]> {
    return this.events<E>(Streams.Audit);
  }

  async clear(): Promise<void> {
    const keys = await this.redis.keys(`${this.ns}*`);
    if (keys.length) await this.redis.del(...keys);
  }

  async close(): Promise<void> {
    await this.clear();
    await this.redis.quit();
  }
}

/** The environment of a market-data process; PORT, REDIS_URL and LOG_LEVEL have defaults (spawnMarketData). */
export type MarketDataProcessEnv = NodeJS.ProcessEnv & {
  DATABASE_URL: string;
  REDIS_NAMESPACE: string;
  MARKET_FEEDS: string;
};

export interface MarketDataProcess extends SpawnedProcess {
  readonly port: number;
  /** http://127.0.0.1:<port><path> */
  url(path: string): string;
  /** waitFor whose timeout error ends with this process's output. */
  waitFor<T>(probe: () => Promise<T | undefined | false>, options: WaitOptions): Promise<T>;
  /** GET /metrics as JSON, or undefined while the process does not answer. */
  metrics<M>(): Promise<M | undefined>;
}

/** CCXT_OPTIONS pointing ccxt at a loopback exchange (URLs and options overridden), with ccxt's rate limiter off. */
export function ccxtEnv(ccxtOptions: object): { CCXT_OPTIONS: string; CCXT_RATE_LIMIT: string } {
  return { CCXT_OPTIONS: JSON.stringify(ccxtOptions), CCXT_RATE_LIMIT: 'false' };
}

/** Starts the built market-data on a free port, with REDIS_URL from the test environment and LOG_LEVEL=error unless `env` says otherwise. */
export async function spawnMarketData(env: MarketDataProcessEnv): Promise<MarketDataProcess> {
  const port = await freePort();
  const spawned = spawnNode(MARKET_DATA_MAIN, [], {
    PORT: String(port),
    REDIS_URL: testRedisUrl(),
    LOG_LEVEL: 'error',
    ...env,
  });
  const url = (p: string) => `http://127.0.0.1:${port}${p}`;
  return {
    ...spawned,
    port,
    url,
    waitFor: (probe, options) =>
      waitFor(probe, options).catch((e: Error) => {
        throw withLogs(e, spawned);
      }),
    metrics: async <M>() => {
      const res = await fetch(url('/metrics')).catch(() => undefined);
      return res?.ok ? ((await res.json()) as M) : undefined;
    },
  };
}

export interface DataDownload {
  exchange: string;
  symbol: string;
  timeframe: string;
  since: string;
  until: string;
}

/**
 * `tradectl data download ... --json` as a child process. Not execFileSync: the loopback exchange answers from this
 * very process. `report()` parses the JSON it printed.
 */
export function spawnDataDownload(
  { exchange, symbol, timeframe, since, until }: DataDownload,
  env: NodeJS.ProcessEnv,
): SpawnedProcess & { report(): unknown } {
  const args = [
    'data',
    'download',
    '--exchange',
    exchange,
    '--symbol',
    symbol,
    '--timeframe',
    timeframe,
    '--since',
    since,
    '--until',
    until,
    '--json',
  ];
  const spawned = spawnNode(CLI_MAIN, args, { REDIS_URL: testRedisUrl(), LOG_LEVEL: 'error', ...env });
  return { ...spawned, report: () => JSON.parse(spawned.output().slice(spawned.output().indexOf('{'))) as unknown };
}

/**
 * One suite's market-data: dist/ built, a migrated database with a pg client, a Redis namespace, and every process
 * spawned through it killed at the end. `setUp()` in beforeAll, `tearDown()` in afterAll.
 */
export class MarketDataHarness {
  db!: MarketDataDb;
  readonly space: RedisNamespace;
  private readonly spawned: MarketDataProcess[] = [];

  constructor(private readonly label: string) {
    this.space = new RedisNamespace(label);
  }

  get ns(): string {
    return this.space.ns;
  }

  get redis(): Redis {
    return this.space.redis;
  }

  get pg(): Client {
    return this.db.pg;
  }

  async setUp(): Promise<void> {
    buildDist();
    this.db = await MarketDataDb.create(this.label);
  }

  async tearDown(): Promise<void> {
    for (const p of this.spawned) p.child.kill('SIGKILL');
    await Promise.all(this.spawned.map((p) => p.exited));
    await this.db?.drop();
    await this.space.close();
  }

  /** spawnMarketData on this suite's database and namespace (`env` may name others). */
  async spawn(env: NodeJS.ProcessEnv & { MARKET_FEEDS: string }): Promise<MarketDataProcess> {
    const started = await spawnMarketData({ DATABASE_URL: this.db.url, REDIS_NAMESPACE: this.ns, ...env });
    this.spawned.push(started);
    return started;
  }
}

/** A fresh database migrated for market-data in this process (TypeORM migrations), and a DataSource on it. */
export async function migratedDataSource(
  label: string,
  poolSize: number,
): Promise<{ db: TestDatabase; ds: DataSource }> {
  const db = await createTestDatabase(label);
  await migrateUp(marketDataDatabase, db.url);
  const ds = await new DataSource(serviceDataSourceOptions(marketDataDatabase, db.url, { poolSize })).initialize();
  return { db, ds };
}

/** The IngestService the service would build, on `ds` and `redis`, configured from `env` under `namespace`. */
export function ingestService(
  ds: DataSource,
  redis: Redis,
  namespace: string,
  env: Record<string, string> = {},
): IngestService {
  const config = loadConfig('market-data', MarketDataEnv, { REDIS_NAMESPACE: namespace, ...env });
  return new IngestService(ds, new CandleRepository(ds), new TickerRepository(ds), redis, config);
}

/** A started relay publishing market.outbox under `namespace`, polling every 50 ms. */
export function startOutboxRelay(ds: DataSource, namespace: string): OutboxRelay {
  const relay = new OutboxRelay({
    dataSource: ds,
    schema: MARKET_OUTBOX_SCHEMA,
    redisUrl: testRedisUrl(),
    namespace,
    pollIntervalMs: 50,
  });
  relay.start();
  return relay;
}
