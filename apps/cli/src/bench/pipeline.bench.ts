import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Payload } from '@nestjs/microservices';
import { createEvent, RpcPatterns, SignalEmitted, StrategyBotsGet, StrategyBotView, Streams } from '@trading/contracts';
import { DEFAULT_DATABASE_URL, dropDatabase, ensureDatabaseExists, withDatabaseName } from '@trading/database';
import { tickerKey } from '@trading/market-cache';
import { RpcDomainError, RpcHandler, RpcRedisServer, StreamPublisher } from '@trading/streams';
import Redis from 'ioredis';
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Client } from 'pg';

/**
 * `tradectl bench pipeline [--signals 2000] [--bots 50] [--paced 300] [--rate 20]`: signals through the real
 * trading engine and the real risk service (pre-trade check over RPC) into paper execution, both services as
 * processes on their own database and Redis namespace. Measured: signals/s when flooded (every signal handled:
 * one order each), and the latency from a signal published to its OrderFilled on events:orders (the relay's XADD
 * time), at a paced rate. Bot settings come from a stand-in for the strategy service in this process; market
 * orders fill at a cached ticker. The candle -> strategy part of the pipeline is measured by the strategy benches.
 */
const ROOT = repoRoot(__dirname);

function repoRoot(from: string): string {
  for (let dir = from; dir !== path.dirname(dir); dir = path.dirname(dir)) if (existsSync(path.join(dir, 'nx.json'))) return dir;
  throw new Error('workspace root (nx.json) not found');
}

const bots = new Map<string, StrategyBotView>();

@Controller()
class StrategyStandIn {
  @RpcHandler(RpcPatterns.StrategyBotsGet)
  get(@Payload() request: StrategyBotsGet.Request): Promise<StrategyBotsGet.Response> {
    const bot = bots.get(request.botId);
    if (!bot) throw new RpcDomainError(404, 'BOT_NOT_FOUND', 'bot not found');
    return Promise.resolve(bot);
  }
}

@Module({ controllers: [StrategyStandIn] })
class StrategyStandInModule {}

function aBot(): StrategyBotView {
  const now = new Date().toISOString();
  return {
    id: randomUUID(), userId: randomUUID(), name: 'bench', description: null, strategyId: randomUUID(), strategy: 'sma_cross', strategyParams: {},
    exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1m', mode: 'paper', marketType: 'spot', status: 'running', initialCapital: '1000000',
    currentEquity: null, leverage: 1, sizingMode: 'percent_equity', positionSizePct: '1', positionSizeFixed: null, riskPerTradePct: null,
    stopLossPct: null, takeProfitPct: null, trailingStopPct: null, trailingStopActive: false, dailyTargetPct: null, maxDailyLossPct: null,
    maxWeeklyLossPct: null, maxDrawdownPct: null, maxDailyTrades: null, maxPositions: 1, apiKeyId: null, riskSettings: {}, target: 'flat',
    lastCandleTime: null, lastHeartbeat: null, startedAt: now, stoppedAt: null, createdAt: now, updatedAt: now,
  };
}

function numberArg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  const value = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
}

export async function run(args: string[]): Promise<void> {
  const signals = numberArg(args, '--signals', 2000);
  const botCount = numberArg(args, '--bots', 50);
  const paced = numberArg(args, '--paced', 300);
  const rate = numberArg(args, '--rate', 20);
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const dbUrl = withDatabaseName(process.env.DATABASE_URL || DEFAULT_DATABASE_URL, `bench_pipeline_${randomBytes(4).toString('hex')}`);
  const namespace = `bench:pipeline:${randomBytes(4).toString('hex')}:`;
  const env = { ...process.env, DATABASE_URL: dbUrl, REDIS_URL: redisUrl, REDIS_NAMESPACE: namespace, LOG_LEVEL: 'warn', NODE_ENV: 'production' };
  const children: ChildProcess[] = [];
  const redis = new Redis(redisUrl);
  const pg = new Client({ connectionString: dbUrl });
  const publisher = StreamPublisher.connect({ redisUrl, namespace });
  const responder = await NestFactory.createMicroservice(StrategyStandInModule, { strategy: new RpcRedisServer({ redisUrl, namespace }), logger: false });
  await ensureDatabaseExists(dbUrl);
  try {
    for (const service of ['trading-engine', 'risk']) {
      const migrated = spawnSync(process.execPath, [path.join(ROOT, `dist/apps/${service}/src/migrate.js`), 'up'], { env, encoding: 'utf8' });
      if (migrated.status !== 0) throw new Error(`${service} migrations failed: ${migrated.stderr}`);
    }
    await responder.listen();
    for (const [service, extra] of [['risk', {}], ['trading-engine', { BOT_SETTINGS_CACHE_MS: '600000', PAPER_SLIPPAGE_BPS: '0', SIGNAL_CONCURRENCY: process.env.SIGNAL_CONCURRENCY ?? '16' }]] as const) {
      const port = await freePort();
      const child = spawn(process.execPath, [path.join(ROOT, `dist/apps/${service}/src/main.js`)], { env: { ...env, ...extra, PORT: String(port) }, stdio: ['ignore', 'ignore', 'inherit'] });
      children.push(child);
      await waitOk(`http://127.0.0.1:${port}/health/ready`);
    }
    await pg.connect();
    const list = Array.from({ length: botCount }, aBot);
    for (const bot of list) bots.set(bot.id, bot);
    await redis.hset(tickerKey(namespace, 'binance', 'BTC/USDT'), { last: '40000', bid: '40000', ask: '40000', baseVolume: '1', time: '2030-01-01T00:00:00.000Z' });
    let minute = 0;
    const nextSignals = (n: number) =>
      Array.from({ length: n }, (_, i) => {
        const bot = list[i % botCount];
        const round = minute + Math.floor(i / botCount);
        const candleTime = new Date(Date.UTC(2026, 0, 1) + round * 60_000).toISOString();
        const target = round % 2 === 0 ? 'long' : 'flat';
        return createEvent(SignalEmitted.TYPE, { signalId: SignalEmitted.signalIdOf(bot.id, candleTime, target), botId: bot.id, userId: bot.userId, strategy: 'sma_cross', exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1m', candleTime, target, price: '40000', reason: 'bench', indicators: {} }, { source: 'bench' });
      });
    const orderCount = async () => Number((await pg.query<{ n: string }>('SELECT count(*) AS n FROM trading.orders')).rows[0]?.n);

    const flood = nextSignals(signals);
    // the paced run continues the long/flat alternation, so every paced signal changes its bot's position
    minute += Math.ceil(signals / botCount);
    const started = Date.now();
    await publisher.publishBatch(Streams.StrategySignals, flood);
    while ((await orderCount()) < signals) await sleep(100);
    const floodMs = Date.now() - started;

    const sent = new Map<string, number>();
    const pacedSignals = nextSignals(paced);
    const pacedStart = Date.now();
    for (const [i, event] of pacedSignals.entries()) {
      const due = pacedStart + (i * 1000) / rate;
      if (due > Date.now()) await sleep(due - Date.now());
      sent.set(event.payload.signalId, Date.now());
      await publisher.publish(Streams.StrategySignals, event);
    }
    const latencies: number[] = [];
    const deadline = Date.now() + 60_000;
    while (latencies.length < sent.size && Date.now() < deadline) {
      latencies.length = 0;
      for (const [id, fields] of await redis.xrange(`${namespace}${Streams.Orders}`, '-', '+')) {
        const event = JSON.parse(fields[1] ?? '{}') as { type: string; payload: { clientOrderId: string } };
        const at = sent.get(event.payload.clientOrderId);
        if (event.type === 'order.filled' && at !== undefined) latencies.push(Number(id.split('-')[0]) - at);
      }
      await sleep(200);
    }
    latencies.sort((a, b) => a - b);
    const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
    console.log(`pipeline: ${signals} signals, ${botCount} bots, real risk check (RPC) + paper execution + one PostgreSQL transaction each`);
    console.log(`  flood:  ${Math.round((signals * 1000) / floodMs)} signals/s (${floodMs} ms until every signal had its order)`);
    console.log(`  paced ${rate}/s: signal published -> OrderFilled on events:orders p50 ${pct(50)} ms, p99 ${pct(99)} ms (${latencies.length}/${paced} filled)`);
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((c) => new Promise((resolve) => (c.exitCode !== null ? resolve(null) : c.once('exit', resolve)))));
    await responder.close();
    await publisher.close();
    await pg.end().catch(() => undefined);
    const keys = await redis.keys(`${namespace}*`);
    for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
    redis.disconnect();
    await dropDatabase(dbUrl);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitOk(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}
