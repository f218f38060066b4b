import Redis from 'ioredis';
import { LoopbackBinance, LoopbackCandle, startLoopbackBinance, waitFor } from '@trading/testing';
import { ccxtEnv, MarketDataHarness, MarketDataProcess, StreamEvent } from './market-data.harness';

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
  readonly process: MarketDataProcess;
}

/**
 * Several market-data processes with the same ccxt feed (Binance BTC/USDT, 1 s candles, so a REST poll every second and
 * a candle closing every second) against one loopback Binance, one database and one Redis namespace.
 */
export class FeedLeaseFixture {
  exchange!: LoopbackBinance;
  /** Open time of the first candle the feed asks for (CCXT_SINCE). */
  readonly start = Math.floor(Date.now() / SEC) * SEC - 10 * SEC;
  readonly leaseKey: string;
  private readonly md: MarketDataHarness;

  constructor(label: string) {
    this.md = new MarketDataHarness(label);
    this.leaseKey = this.md.space.key(`lease:market-data:feed:${FEED}`);
  }

  get redis(): Redis {
    return this.md.redis;
  }

  async setUp(): Promise<void> {
    await this.md.setUp();
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
    await this.md.tearDown();
    await this.exchange?.stop();
  }

  async spawn(name: string, ttlMs: number): Promise<MarketDataInstance> {
    const child = await this.md.spawn({
      INSTANCE_ID: name,
      MARKET_FEEDS: FEED,
      FEED_LEASE_TTL_MS: String(ttlMs),
      ...ccxtEnv(this.exchange.ccxtOverrides),
      CCXT_SINCE: new Date(this.start).toISOString(),
      LOG_LEVEL: 'info',
    });
    return { name, port: child.port, process: child };
  }

  /** The feed's entry in GET /metrics `feedLeases`, once the instance answers. */
  async lease(instance: MarketDataInstance): Promise<LeaseMetrics | undefined> {
    const body = await instance.process.metrics<{ feedLeases?: { feeds: LeaseMetrics[] } }>();
    return body?.feedLeases?.feeds.find((f) => f.name === FEED);
  }

  /** Waits until the instance's /metrics shows the lease in `state`; the failure message carries the instance's logs. */
  async waitForLease(
    instance: MarketDataInstance,
    state: LeaseMetrics['lease'],
    timeoutMs = 20_000,
    intervalMs = 50,
  ): Promise<LeaseMetrics> {
    return instance.process.waitFor(
      async () => {
        const lease = await this.lease(instance);
        return lease?.lease === state && (state !== 'leased' || lease.running) ? lease : undefined;
      },
      { what: `${instance.name} ${state}`, timeoutMs, intervalMs },
    );
  }

  requests(path: string): number {
    return this.exchange.requests.filter((r) => r.path === path).length;
  }

  /** Open times (seconds after `start`) of the stored 1 s candles, ascending. */
  async stored(): Promise<number[]> {
    const rows = await this.md.pg.query<{ t: Date }>(
      "SELECT open_time AS t FROM market.ohlcv WHERE timeframe = '1s' ORDER BY open_time",
    );
    return rows.rows.map((r) => (r.t.getTime() - this.start) / SEC);
  }

  /** Waits until the candle `second` seconds after `start` is stored (fed by `by`, whose logs a failure shows). */
  async waitForStored(second: number, by: MarketDataInstance): Promise<void> {
    await by.process.waitFor(async () => (await this.stored()).includes(second), {
      what: `the candle of second ${second}`,
      timeoutMs: 15_000,
      intervalMs: 100,
    });
  }

  /** The MarketCandleClosed events of the 1 s candles on events:market_data, in stream order. */
  async candleEvents(): Promise<{ id: string; second: number }[]> {
    return (await this.md.space.marketDataEvents<StreamEvent<{ timeframe?: string; openTime?: string }>>())
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
