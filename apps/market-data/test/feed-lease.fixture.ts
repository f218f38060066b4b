import { execFileSync } from 'node:child_process';
import path from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import {
  createTestDatabase,
  freePort,
  LoopbackBinance,
  LoopbackCandle,
  repoRoot,
  spawnNode,
  SpawnedProcess,
  startLoopbackBinance,
  TestDatabase,
  testRedisUrl,
  uniqueRedisNamespace,
  waitFor,
} from '@trading/testing';

export const SEC = 1000;
export const FEED = 'ccxt:binance:BTC/USDT:1s';

export interface LeaseMetrics {
  name: string;
  lease: 'starting' | 'leased' | 'standby' | 'released' | 'unleased';
  since: string;
  holder: string | null;
  running: boolean;
}

export interface MarketDataInstance {
  readonly name: string;
  readonly port: number;
  readonly process: SpawnedProcess;
}

interface MarketEvent {
  id: string;
  type: string;
  payload: { timeframe?: string; openTime?: string };
}

/**
 * Several market-data processes with the same ccxt feed (Binance BTC/USDT, 1 s candles, so a REST poll every second and
 * a candle closing every second) against one loopback Binance, one database and one Redis namespace.
 */
export class FeedLeaseFixture {
  db!: TestDatabase;
  pg!: Client;
  exchange!: LoopbackBinance;
  readonly redis = new Redis(testRedisUrl());
  readonly ns: string;
  /** Open time of the first candle the feed asks for (CCXT_SINCE). */
  readonly start = Math.floor(Date.now() / SEC) * SEC - 10 * SEC;
  readonly leaseKey: string;
  private readonly instances: MarketDataInstance[] = [];

  constructor(private readonly label: string) {
    this.ns = uniqueRedisNamespace(label);
    this.leaseKey = `${this.ns}lease:market-data:feed:${FEED}`;
  }

  async setUp(): Promise<void> {
    execFileSync(process.execPath, [path.join(repoRoot, 'scripts/build.js'), '--quiet']);
    this.db = await createTestDatabase(this.label.replace(/-/g, '_'));
    execFileSync(process.execPath, [path.join(repoRoot, 'dist/apps/market-data/src/migrate.js'), 'up'], {
      env: { ...process.env, DATABASE_URL: this.db.url },
    });
    this.pg = new Client({ connectionString: this.db.url });
    await this.pg.connect();
    // Three minutes of 1 s candles from `start`: the feed only takes those closed by the wall clock.
    const candles: LoopbackCandle[] = Array.from({ length: 180 }, (_, i) => {
      const close = (42_000 + i / 100).toFixed(2);
      return {
        openTime: this.start + i * SEC,
        open: close,
        high: (42_001 + i / 100).toFixed(2),
        low: (41_999 + i / 100).toFixed(2),
        close,
        volume: '1.5',
      };
    });
    this.exchange = await startLoopbackBinance({ klines: [{ symbol: 'BTCUSDT', interval: '1s', candles }] });
  }

  async tearDown(): Promise<void> {
    for (const i of this.instances) i.process.child.kill('SIGKILL');
    await Promise.all(this.instances.map((i) => i.process.exited));
    await this.exchange?.stop();
    await this.pg?.end();
    const keys = await this.redis.keys(`${this.ns}*`);
    if (keys.length) await this.redis.del(...keys);
    this.redis.disconnect();
    await this.db?.drop();
  }

  async spawn(name: string, ttlMs: number): Promise<MarketDataInstance> {
    const port = await freePort();
    const child = spawnNode('dist/apps/market-data/src/main.js', [], {
      PORT: String(port),
      DATABASE_URL: this.db.url,
      REDIS_URL: testRedisUrl(),
      REDIS_NAMESPACE: this.ns,
      INSTANCE_ID: name,
      MARKET_FEEDS: FEED,
      FEED_LEASE_TTL_MS: String(ttlMs),
      CCXT_OPTIONS: JSON.stringify(this.exchange.ccxtOverrides),
      CCXT_RATE_LIMIT: 'false',
      CCXT_SINCE: new Date(this.start).toISOString(),
      LOG_LEVEL: 'info',
    });
    const instance = { name, port, process: child };
    this.instances.push(instance);
    return instance;
  }

  /** The feed's entry in GET /metrics `feedLeases`, once the instance answers. */
  async lease(instance: MarketDataInstance): Promise<LeaseMetrics | undefined> {
    const res = await fetch(`http://127.0.0.1:${instance.port}/metrics`).catch(() => undefined);
    if (!res?.ok) return undefined;
    const body = (await res.json()) as { feedLeases?: { feeds: LeaseMetrics[] } };
    return body.feedLeases?.feeds.find((f) => f.name === FEED);
  }

  /** Waits until the instance's /metrics shows the lease in `state`; the failure message carries the instance's logs. */
  async waitForLease(
    instance: MarketDataInstance,
    state: LeaseMetrics['lease'],
    timeoutMs = 20_000,
    intervalMs = 50,
  ): Promise<LeaseMetrics> {
    return waitFor(
      async () => {
        const lease = await this.lease(instance);
        return lease?.lease === state && (state !== 'leased' || lease.running) ? lease : undefined;
      },
      { what: `${instance.name} ${state}`, timeoutMs, intervalMs },
    ).catch((e: Error) => {
      throw new Error(`${e.message}\n${instance.process.output().slice(-3000)}`);
    });
  }

  requests(path: string): number {
    return this.exchange.requests.filter((r) => r.path === path).length;
  }

  /** Open times (seconds after `start`) of the stored 1 s candles, ascending. */
  async stored(): Promise<number[]> {
    const rows = await this.pg.query<{ t: Date }>(
      "SELECT open_time AS t FROM market.ohlcv WHERE timeframe = '1s' ORDER BY open_time",
    );
    return rows.rows.map((r) => (r.t.getTime() - this.start) / SEC);
  }

  /** Waits until the candle `second` seconds after `start` is stored (fed by `by`, whose logs a failure shows). */
  async waitForStored(second: number, by: MarketDataInstance): Promise<void> {
    await waitFor(async () => (await this.stored()).includes(second), {
      what: `the candle of second ${second}`,
      timeoutMs: 15_000,
      intervalMs: 100,
    }).catch((e: Error) => {
      throw new Error(`${e.message}\n${by.process.output().slice(-3000)}`);
    });
  }

  /** The MarketCandleClosed events of the 1 s candles on events:market_data, in stream order. */
  async candleEvents(): Promise<{ id: string; second: number }[]> {
    const entries = await this.redis.xrange(`${this.ns}events:market_data`, '-', '+');
    return entries
      .map(([, fields]) => JSON.parse(fields[1]!) as MarketEvent)
      .filter((e) => e.type === 'market.candle.closed' && e.payload.timeframe === '1s')
      .map((e) => ({ id: e.id, second: (Date.parse(e.payload.openTime!) - this.start) / SEC }));
  }

  /**
   * The stored 1 s candles have no hole from the first on, and each was published exactly once (one event id per
   * candle: the relay's at-least-once republish after a crash would repeat an id, never make a second event), in time
   * order.
   */
  async expectEachCandlePublishedOnce(): Promise<{ candles: number; events: number }> {
    const snapshot = await this.stored();
    await waitFor(async () => new Set((await this.candleEvents()).map((e) => e.second)).size >= snapshot.length, {
      what: 'the stored candles published',
      timeoutMs: 10_000,
    });
    const events = await this.candleEvents();
    const stored = await this.stored();
    const idsBySecond = new Map<number, Set<string>>();
    for (const e of events) idsBySecond.set(e.second, (idsBySecond.get(e.second) ?? new Set()).add(e.id));
    const seconds = [...idsBySecond.keys()];
    expect(stored).toEqual(range(stored.length));
    expect(seconds).toEqual(range(seconds.length));
    expect(seconds.length).toBeGreaterThanOrEqual(snapshot.length);
    expect(seconds.length).toBeLessThanOrEqual(stored.length);
    expect([...idsBySecond].filter(([, ids]) => ids.size !== 1)).toEqual([]);
    return { candles: stored.length, events: events.length };
  }
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
