import { execFileSync } from 'node:child_process';
import path from 'node:path';
import Redis from 'ioredis';
import { createEvent, MarketCandleClosed, Streams } from '@trading/contracts';
import { datasetPath, ParsedCandle, readCandleFile } from '@trading/datasets';
import { CandleWindowCache } from '@trading/market-cache';
import { StreamPublisher } from '@trading/streams';
import { freePort, repoRoot, spawnNode, SpawnedProcess, testRedisUrl, waitFor } from '@trading/testing';

/** Builds dist/ and migrates a database, as an operator would. */
export function buildAndMigrate(databaseUrl: string): void {
  execFileSync(process.execPath, [path.join(repoRoot, 'scripts/build.js'), '--quiet']);
  execFileSync(process.execPath, [path.join(repoRoot, 'dist/apps/strategy/src/migrate.js'), 'up'], { env: { ...process.env, DATABASE_URL: databaseUrl } });
}

export interface ServiceInstance {
  readonly name: string;
  readonly port: number;
  readonly process: SpawnedProcess;
}

/** Starts `node dist/apps/strategy/src/main.js` and waits until it is ready. */
export async function startStrategyService(name: string, env: Record<string, string>): Promise<ServiceInstance> {
  const port = await freePort();
  const child = spawnNode('dist/apps/strategy/src/main.js', [], {
    PORT: String(port),
    REDIS_URL: testRedisUrl(),
    INSTANCE_ID: name,
    LOG_LEVEL: 'warn',
    STREAMS_CLAIM_IDLE_MS: '1000',
    ...env,
  });
  await waitFor(
    async () => {
      const res = await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => undefined);
      return res?.status === 200;
    },
    { what: `strategy instance ${name} to be ready`, timeoutMs: 30_000 },
  ).catch((error: Error) => {
    child.child.kill('SIGKILL');
    throw new Error(`${error.message}\n${child.output().slice(-3000)}`);
  });
  return { name, port, process: child };
}

export async function stopGracefully(instance: ServiceInstance): Promise<number | null> {
  instance.process.child.kill('SIGTERM');
  return (await instance.process.exited).code;
}

/** The shipped BTC/USDT minute day, exact decimal strings kept. */
export function shippedMinutes(): ParsedCandle[] {
  return readCandleFile(datasetPath('BTCUSDT_1m_2021-01-03')).candles;
}

/** Plays market-data's part: cache the candles (Redis window), then publish MarketCandleClosed for each. */
export class MarketDataDouble {
  private readonly cache: CandleWindowCache;
  private readonly publisher: StreamPublisher;

  constructor(
    private readonly redis: Redis,
    private readonly namespace: string,
    readonly exchange = 'binance',
    readonly symbol = 'BTC/USDT',
  ) {
    this.cache = new CandleWindowCache(redis, namespace, 1000);
    this.publisher = new StreamPublisher({ redisUrl: testRedisUrl(), namespace }, redis);
  }

  event(c: ParsedCandle): MarketCandleClosed.Event {
    return createEvent(
      MarketCandleClosed.TYPE,
      {
        exchange: this.exchange,
        symbol: this.symbol,
        timeframe: '1m',
        openTime: new Date(c.time).toISOString(),
        closeTime: new Date(c.time + 60_000).toISOString(),
        ...c.exact,
        source: 'replay',
      },
      { source: 'market-data' },
    );
  }

  /** Like market-data's ingest: the whole batch is cached before any of it is published. */
  async publish(candles: readonly ParsedCandle[]): Promise<MarketCandleClosed.Event[]> {
    for (const c of candles) await this.cache.append(this.exchange, this.symbol, '1m', { time: c.time, ...c.exact });
    const events = candles.map((c) => this.event(c));
    await this.publisher.publishBatch(Streams.MarketData, events);
    return events;
  }

  async publishRaw(json: string): Promise<void> {
    await this.publisher.publishRaw(Streams.MarketData, json);
  }
}

/** The consumer group `strategy` has read and acked everything on events:market_data. */
export async function groupDrained(redis: Redis, namespace: string): Promise<boolean> {
  const groups = (await redis.xinfo('GROUPS', `${namespace}${Streams.MarketData}`)) as unknown[][];
  for (const g of groups) {
    const fields = new Map<string, unknown>();
    for (let i = 0; i < g.length; i += 2) fields.set(String(g[i]), g[i + 1]);
    if (fields.get('name') === 'strategy') return Number(fields.get('pending')) === 0 && Number(fields.get('lag')) === 0;
  }
  return false;
}

/**
 * sma_cross(fast, slow) worked out from the closes with plain sums: a cross up at t is
 * f[t-1] < s[t-1] and f[t] > s[t] (down: the mirror); a wish equal to the current target is no signal.
 */
export function expectedSmaCrossSignals(closes: readonly number[], times: readonly number[], fast: number, slow: number): { time: number; target: 'long' | 'flat' }[] {
  const sma = (t: number, n: number) => (t + 1 < n ? NaN : closes.slice(t + 1 - n, t + 1).reduce((a, b) => a + b, 0) / n);
  const out: { time: number; target: 'long' | 'flat' }[] = [];
  let target: 'long' | 'flat' = 'flat';
  for (let t = 1; t < closes.length; t++) {
    const [pf, ps, f, s] = [sma(t - 1, fast), sma(t - 1, slow), sma(t, fast), sma(t, slow)];
    const wish = pf < ps && f > s ? 'long' : pf > ps && f < s ? 'flat' : null;
    if (wish && wish !== target) {
      out.push({ time: times[t], target: wish });
      target = wish;
    }
  }
  return out;
}
