import { Controller, INestMicroservice, Module, UseFilters } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Payload } from '@nestjs/microservices';
import {
  createEvent,
  MarketTickerUpdated,
  RiskPreTradeCheck,
  RpcPatterns,
  SignalEmitted,
  StrategyBotsGet,
  StrategyBotView,
  Streams,
} from '@trading/contracts';
import { migrateUp } from '@trading/database';
import { tickerKey } from '@trading/market-cache';
import { createTestDatabase, freePort, repoRoot, spawnNode, SpawnedProcess, TestDatabase, testRedisUrl, uniqueRedisNamespace, waitFor, httpStatus } from '@trading/testing';
import { RpcDomainError, RpcExceptionFilter, RpcHandler, RpcRedisServer, StreamPublisher } from '@trading/streams';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { v7 } from 'uuid';
import { tradingEngineDatabase } from '../database/trading-engine.database';

/** What the test's stand-in services answer: risk (allow / deny / never answer) and strategy's bot settings. */
export interface ResponderBehaviour {
  risk: 'allow' | 'deny' | 'silent';
  denyReasons: string[];
  /** Bots risk always denies (whatever `risk` says). */
  denyBots: Set<string>;
  bots: Map<string, StrategyBotView>;
  riskRequests: RiskPreTradeCheck.Request[];
}

let current: ResponderBehaviour;

@Controller()
class RiskStandInController {
  @RpcHandler(RpcPatterns.RiskPreTradeCheck)
  check(@Payload() request: RiskPreTradeCheck.Request): Promise<RiskPreTradeCheck.Response> {
    current.riskRequests.push(request);
    if (current.risk === 'silent') return new Promise(() => undefined);
    if (current.risk === 'deny' || current.denyBots.has(request.botId)) return Promise.resolve({ approved: false, reasons: current.denyReasons, tradingState: 'ACTIVE' });
    return Promise.resolve({ approved: true, reasons: [], tradingState: 'ACTIVE' });
  }
}

@UseFilters(new RpcExceptionFilter())
@Controller()
class StrategyStandInController {
  @RpcHandler(RpcPatterns.StrategyBotsGet)
  bot(@Payload() request: StrategyBotsGet.Request): Promise<StrategyBotsGet.Response> {
    const bot = current.bots.get(request.botId);
    if (!bot || bot.userId !== request.caller.userId) throw new RpcDomainError(404, 'BOT_NOT_FOUND', 'bot not found');
    return Promise.resolve(bot);
  }
}

@Module({ controllers: [RiskStandInController, StrategyStandInController] })
class StandInModule {}

@Module({ controllers: [StrategyStandInController] })
class StrategyStandInModule {}

export function aBot(overrides: Partial<StrategyBotView> = {}): StrategyBotView {
  const now = new Date().toISOString();
  return {
    id: v7(),
    userId: v7(),
    name: 'test bot',
    description: null,
    strategyId: v7(),
    strategy: 'sma_cross',
    strategyParams: {},
    exchange: 'binance',
    symbol: 'BTC/USDT',
    timeframe: '1m',
    mode: 'paper',
    marketType: 'spot',
    status: 'running',
    initialCapital: '10000',
    currentEquity: null,
    leverage: 1,
    sizingMode: 'percent_equity',
    positionSizePct: '50',
    positionSizeFixed: null,
    riskPerTradePct: null,
    stopLossPct: null,
    takeProfitPct: null,
    trailingStopPct: null,
    trailingStopActive: false,
    dailyTargetPct: null,
    maxDailyLossPct: null,
    maxWeeklyLossPct: null,
    maxDrawdownPct: null,
    maxDailyTrades: null,
    maxPositions: 1,
    apiKeyId: null,
    riskSettings: {},
    target: 'flat',
    lastCandleTime: null,
    lastHeartbeat: null,
    startedAt: now,
    stoppedAt: null,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

export interface EngineProcess {
  readonly proc: SpawnedProcess;
  readonly port: number;
  readonly instance: string;
}

/** A private database, Redis namespace, stand-in risk/strategy responders and the built engine as processes. */
export class EngineHarness {
  db!: TestDatabase;
  pg!: Client;
  redis!: Redis;
  publisher!: StreamPublisher;
  readonly namespace = uniqueRedisNamespace('engine');
  readonly behaviour: ResponderBehaviour = { risk: 'allow', denyReasons: ['MAX_POSITION_SIZE'], denyBots: new Set(), bots: new Map(), riskRequests: [] };
  private responder?: INestMicroservice;
  private readonly engines: EngineProcess[] = [];

  /** `standInRisk: false` leaves risk.preTradeCheck to a real risk service the test starts. */
  async start(label: string, options: { standInRisk?: boolean } = {}): Promise<void> {
    execFileSync(process.execPath, [path.join(repoRoot, 'scripts/build.js'), '--quiet']);
    this.db = await createTestDatabase(label);
    await migrateUp(tradingEngineDatabase, this.db.url);
    this.pg = new Client({ connectionString: this.db.url });
    await this.pg.connect();
    this.redis = new Redis(testRedisUrl());
    this.publisher = StreamPublisher.connect({ redisUrl: testRedisUrl(), namespace: this.namespace });
    current = this.behaviour;
    this.responder = await NestFactory.createMicroservice(options.standInRisk === false ? StrategyStandInModule : StandInModule, { strategy: new RpcRedisServer({ redisUrl: testRedisUrl(), namespace: this.namespace }), logger: false });
    await this.responder.listen();
  }

  async stop(): Promise<void> {
    for (const e of this.engines) if (e.proc.child.exitCode === null) e.proc.child.kill('SIGKILL');
    await Promise.all(this.engines.map((e) => (e.proc.child.exitCode === null ? e.proc.exited : undefined)));
    await this.responder?.close();
    await this.publisher?.close();
    await this.pg?.end();
    if (this.redis) {
      const keys = await this.redis.keys(`${this.namespace}*`);
      for (let i = 0; i < keys.length; i += 500) await this.redis.del(...keys.slice(i, i + 500));
      this.redis.disconnect();
    }
    await this.db?.drop();
  }

  async startEngine(instance: string, env: Record<string, string> = {}): Promise<EngineProcess> {
    return this.startService('trading-engine', instance, env);
  }

  /** A built service of this repository on the test's database and namespace, once its /health/ready says 200. */
  async startService(service: string, instance: string, env: Record<string, string> = {}): Promise<EngineProcess> {
    const port = await freePort();
    const proc = spawnNode(`dist/apps/${service}/src/main.js`, [], {
      PORT: String(port),
      DATABASE_URL: this.db.url,
      REDIS_URL: testRedisUrl(),
      REDIS_NAMESPACE: this.namespace,
      INSTANCE_ID: instance,
      LOG_LEVEL: 'warn',
      PAPER_SLIPPAGE_BPS: '0',
      STREAMS_CLAIM_IDLE_MS: '2000',
      BOT_SETTINGS_CACHE_MS: '0',
      ...env,
    });
    await waitFor(async () => (proc.child.exitCode !== null ? Promise.reject(new Error(`${service} exited: ${proc.output()}`)) : (await httpStatus(`http://127.0.0.1:${port}/health/ready`)) === 200), {
      timeoutMs: 30_000,
      what: `${service} ${instance} ready`,
    });
    const engine = { proc, port, instance };
    this.engines.push(engine);
    return engine;
  }

  output(): string {
    return this.engines.map((e) => e.proc.output()).join('\n');
  }

  async kill(engine: EngineProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    engine.proc.child.kill(signal);
    await engine.proc.exited;
  }

  addBot(overrides: Partial<StrategyBotView> = {}): StrategyBotView {
    const bot = aBot(overrides);
    this.behaviour.bots.set(bot.id, bot);
    return bot;
  }

  signal(bot: StrategyBotView, target: SignalEmitted.SignalTarget, candleTime: string, price: string, signalId = SignalEmitted.signalIdOf(bot.id, candleTime, target)): SignalEmitted.Event {
    return createEvent(
      SignalEmitted.TYPE,
      { signalId, botId: bot.id, userId: bot.userId, strategy: bot.strategy, exchange: bot.exchange, symbol: bot.symbol, timeframe: bot.timeframe, candleTime, target, price, reason: 'test', indicators: {} },
      { source: 'strategy' },
    );
  }

  ticker(bot: StrategyBotView, last: string, time: string): MarketTickerUpdated.Event {
    return createEvent(MarketTickerUpdated.TYPE, { exchange: bot.exchange, symbol: bot.symbol, last, bid: last, ask: last, baseVolume: '100', time }, { source: 'market-data' });
  }

  async publishSignals(events: SignalEmitted.Event[]): Promise<void> {
    await this.publisher.publishBatch(Streams.StrategySignals, events);
  }

  /**
   * A ticker in market-data's Redis cache: the freshest price a paper market order fills at. `receivedAt` (epoch
   * ms) is when market-data would have cached it; without it the entry is judged by its exchange time.
   */
  async cacheTicker(exchange: string, symbol: string, last: string, time: string, receivedAt?: number): Promise<void> {
    await this.redis.hset(tickerKey(this.namespace, exchange, symbol), { last, bid: last, ask: last, baseVolume: '100', time, ...(receivedAt === undefined ? {} : { receivedAt: String(receivedAt) }) });
  }

  async publishTicker(event: MarketTickerUpdated.Event): Promise<void> {
    await this.publisher.publish(Streams.MarketData, event);
  }

  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.pg.query(sql, params)).rows as T[];
  }

  async streamTypes(stream: string): Promise<string[]> {
    const entries = await this.redis.xrange(`${this.namespace}${stream}`, '-', '+');
    return entries.map(([, fields]) => (JSON.parse(fields[1]!) as { type: string }).type);
  }

  async streamEvents<T>(stream: string): Promise<T[]> {
    const entries = await this.redis.xrange(`${this.namespace}${stream}`, '-', '+');
    return entries.map(([, fields]) => JSON.parse(fields[1]!) as T);
  }

  /** True once the group has read every entry of the stream (lag 0) and acked them all (no pending). */
  async groupDone(stream: string, group: string): Promise<boolean> {
    const groups = (await this.redis.xinfo('GROUPS', `${this.namespace}${stream}`)) as unknown[][];
    for (const g of groups) {
      const info = new Map<string, unknown>();
      for (let i = 0; i < g.length; i += 2) info.set(String(g[i]), g[i + 1]);
      if (info.get('name') === group) return Number(info.get('lag')) === 0 && Number(info.get('pending')) === 0;
    }
    return false;
  }

  waitFor<T>(probe: () => Promise<T | undefined | false>, what: string, timeoutMs = 20_000): Promise<T> {
    return waitFor(probe, { what, timeoutMs, intervalMs: 50 });
  }
}
