import { Logger } from '@nestjs/common';
import { createEvent, RpcCaller, RpcPatterns, SignalEmitted, StrategyBotView, Streams } from '@trading/contracts';
import { tickerKey } from '@trading/market-cache';
import type { TargetPosition } from '@trading/strategies';
import { RpcClient, StreamPublisher, streamKey } from '@trading/streams';
import Redis from 'ioredis';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { v7 } from 'uuid';
import { measureBareRoundTrip } from './pipeline-baseline';
import { CandleRunResult, runCandles } from './pipeline-candle-run';
import { PipelineDeployment, sleep } from './pipeline-deployment';
import { BENCH_EXCHANGE, MarketDataStandIn, PRICE_DATASET } from './pipeline-market';
import { BENCH_FLIP } from './pipeline-strategies/bench-flip.strategy';
import { streamsIdle } from './pipeline-trace';

/**
 * `npm run bench -- pipeline [--markets 100] [--minutes 20] [--rate 1000] [--paced-seconds 2] [--max-candles 2000]
 *   [--batch 200] [--history 1000] [--signals 500] [--flood-bots 50] [--idle-timeout 20]`
 *
 * The live path with real processes: strategy, trading-engine and risk run from dist/ (migrated, on a database
 * and Redis namespace of their own, removed afterwards). Three measurements in one run:
 * 1. signals/s flooded straight onto events:strategy_signals (`--signals` over `--flood-bots` real bots, whose
 *    settings the engine reads from the strategy service), each through the engine's risk check (RPC to risk)
 *    and paper execution: until every signal has its order.
 * 2. candle -> fill: `--markets` markets with one running bot each, created over the strategy service's RPC, on
 *    the user strategy `bench_flip` (pipeline-strategies/, loaded through STRATEGIES_DIR) that flips long/flat
 *    every `--minutes` candles, staggered across markets. Candles are cached (window prefilled with `--history`
 *    candles) and published with their ticker as market-data's replay ingest does; each goes through the real
 *    strategy service -> SignalEmitted -> trading-engine (risk over RPC, paper fill) -> OrderFilled on
 *    events:orders. Latency per candle that produced a fill = OrderFilled entry time - candle entry time, at a
 *    paced `--rate` candles/s for `--paced-seconds` and at maximum rate (`--max-candles`, batches of `--batch`).
 *    The paced run is followed until every consumer has caught up, so the max-rate run starts from quiet
 *    services; the max-rate run ends with its last fill (consumers still behind then are reported).
 * 3. the baseline in the same run: a bare XADD -> XREADGROUP -> XACK loop on the same Redis (throughput of a
 *    flood, round-trip latency at `--rate` msg/s), next to which the pipeline's figures are given as ratios.
 */
const MINUTE = 60_000;
/** market-data's default CANDLE_WINDOW_SIZE (and the strategy service's). */
const CANDLE_WINDOW = 1000;
const USERS = 10;
const INITIAL_CAPITAL = '100000';
const BARE_FLOOD = 20_000;

interface Options {
  readonly markets: number;
  readonly minutes: number;
  readonly rate: number;
  readonly pacedSeconds: number;
  readonly maxCandles: number;
  readonly batch: number;
  readonly history: number;
  readonly signals: number;
  readonly floodBots: number;
  readonly idleTimeoutMs: number;
}

function parseOptions(args: string[]): Options {
  const value = (name: string, fallback: number, max = Number.MAX_SAFE_INTEGER) => {
    const i = args.indexOf(`--${name}`);
    const parsed = i >= 0 ? Number(args[i + 1]) : fallback;
    if (!Number.isInteger(parsed) || parsed <= 0 || parsed > max) throw new Error(`--${name} must be an integer from 1 to ${max}`);
    return parsed;
  };
  return {
    markets: value('markets', 100, 9999),
    minutes: value('minutes', 20),
    rate: value('rate', 1000),
    pacedSeconds: value('paced-seconds', 2),
    maxCandles: value('max-candles', 2000),
    batch: value('batch', 200),
    history: value('history', CANDLE_WINDOW, CANDLE_WINDOW),
    signals: value('signals', 500),
    floodBots: value('flood-bots', 50, 9999),
    idleTimeoutMs: value('idle-timeout', 20) * 1000,
  };
}

export async function run(args: string[]): Promise<void> {
  const o = parseOptions(args);
  Logger.overrideLogger(['error', 'warn']); // the RPC client's connection notices would break the table
  const strategiesDir = path.join(__dirname, 'pipeline-strategies');
  if (!existsSync(path.join(strategiesDir, 'bench-flip.strategy.js'))) throw new Error(`${strategiesDir}/bench-flip.strategy.js missing: run the bench from dist/ after node scripts/build.js`);
  const deployment = new PipelineDeployment({ strategy: { STRATEGIES_DIR: strategiesDir } });
  const { redisUrl, namespace } = deployment;
  const redis = new Redis(redisUrl);
  const publisher = StreamPublisher.connect({ redisUrl, namespace });
  const rpc = new RpcClient({ redisUrl, namespace, defaultTimeoutMs: 10_000 });
  const pg = new Client({ connectionString: deployment.databaseUrl });
  try {
    const loadBefore = os.loadavg()[0];
    await deployment.start();
    await pg.connect();
    const pacedRounds = Math.max(1, Math.round((o.rate * o.pacedSeconds) / o.markets));
    const maxRounds = Math.max(1, Math.round(o.maxCandles / o.markets));
    const perMarket = o.history + pacedRounds + maxRounds;
    const t0 = Math.floor(Date.now() / MINUTE) * MINUTE - (perMarket + o.markets + 1) * MINUTE;

    const catalog = await rpc.send(RpcPatterns.StrategyCatalogList, { caller: { userId: v7(), role: 'trader' } });
    const strategyId = catalog.items.find((s) => s.strategyType === BENCH_FLIP)?.id;
    if (!strategyId) throw new Error(`the strategy service did not load ${BENCH_FLIP} from ${strategiesDir}`);
    const users = Array.from({ length: USERS }, () => v7());
    const symbols = Array.from({ length: o.markets }, (_, i) => `M${String(i + 1).padStart(4, '0')}/USDT`);
    const floodSymbols = Array.from({ length: o.floodBots }, (_, i) => `F${String(i + 1).padStart(4, '0')}/USDT`);
    await createBots(rpc, strategyId, symbols, o.minutes, users);
    const floodBots = await createBots(rpc, strategyId, floodSymbols, o.minutes, users);
    const streams = [Streams.MarketData, Streams.StrategySignals, Streams.Orders, Streams.Trades].map((stream) => streamKey(namespace, stream));
    const quiet = (what: string) => waitFor(() => streamsIdle(redis, streams), what, deployment, o.idleTimeoutMs * 3);
    await quiet('every service to read the bots started');

    console.log(`pipeline: candle -> strategy -> events:strategy_signals -> trading-engine (risk check over RPC, paper fill) -> OrderFilled on events:orders`);
    console.log(`  real processes from dist/ (strategy, trading-engine, risk), own database and Redis namespace ${namespace}`);
    console.log(`  ${o.markets} markets with one running ${BENCH_FLIP} bot each (user strategy via STRATEGIES_DIR, created over RPC): long/flat every ${o.minutes} candles, staggered`);
    console.log(`  1m candles cached (window ${CANDLE_WINDOW}, ${o.history} prefilled) and published with their ticker as market-data's replay ingest does; prices: shipped ${PRICE_DATASET}`);

    const flood = await floodSignals(redis, publisher, pg, deployment, floodBots, o, t0);
    await quiet('the services to finish with the flood');
    const bare = await measureBareRoundTrip(redisUrl, `${namespace}bare:`, BARE_FLOOD, o.rate * 3, o.rate);

    const market = new MarketDataStandIn(redis, namespace, publisher, symbols, t0, CANDLE_WINDOW);
    await market.prefill(o.history);
    const targets: TargetPosition[] = symbols.map(() => 'flat');
    const ctx = { redis, pg, deployment, market, minutes: o.minutes, targets };
    await quiet('the services to settle');
    const paced = await runCandles(ctx, { rounds: pacedRounds, firstIndex: o.history, rate: o.rate, batch: o.batch, drain: true, idleTimeoutMs: o.idleTimeoutMs });
    const max = await runCandles(ctx, { rounds: maxRounds, firstIndex: o.history + pacedRounds, rate: 'max', batch: o.batch, drain: false, idleTimeoutMs: o.idleTimeoutMs });

    report(o, bare, flood, paced, max);
    const deadLettered = await redis.xlen(streamKey(namespace, Streams.DeadLetter));
    if (deadLettered) console.log(`WARNING: ${deadLettered} events were dead-lettered on events:dlq: the figures above miss them`);
    console.log(`machine: ${os.cpus().length} CPUs, 1-min load average ${loadBefore.toFixed(1)} before the run, ${os.loadavg()[0].toFixed(1)} after (other work on the machine skews every figure)`);
    for (const s of deployment.stderrReport()) if (s.lines) console.log(`  ${s.name} wrote ${s.lines} lines to stderr; last: ${s.last.join(' | ')}`);
  } finally {
    await rpc.close();
    await publisher.close();
    await pg.end().catch(() => undefined);
    redis.disconnect();
    await deployment.stop();
  }
}

async function createBots(rpc: RpcClient, strategyId: string, symbols: readonly string[], minutes: number, users: readonly string[]): Promise<StrategyBotView[]> {
  const bots: StrategyBotView[] = new Array<StrategyBotView>(symbols.length);
  let next = 0;
  const worker = async () => {
    while (next < symbols.length) {
      const i = next++;
      const caller: RpcCaller = { userId: users[i % users.length], role: 'trader' };
      const created = await rpc.send(RpcPatterns.StrategyBotsCreate, {
        caller,
        strategyId,
        strategyParams: { minutes },
        name: `bench ${symbols[i]}`,
        exchange: BENCH_EXCHANGE,
        symbol: symbols[i],
        timeframe: '1m',
        initialCapital: INITIAL_CAPITAL,
      });
      bots[i] = await rpc.send(RpcPatterns.StrategyBotsStart, { caller, botId: created.id });
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return bots;
}

interface FloodResult {
  readonly signals: number;
  readonly filled: number;
  readonly ms: number;
}

/** Signals straight onto events:strategy_signals (long/flat in turns per bot), until each has its order row. */
async function floodSignals(redis: Redis, publisher: StreamPublisher, pg: Client, deployment: PipelineDeployment, bots: StrategyBotView[], o: Options, t0: number): Promise<FloodResult> {
  const rounds = Math.ceil(o.signals / bots.length);
  // Market orders fill at the cached ticker when it is not older than the signal's candle close; written
  // without market-data's 60 s expiry so that it outlives a long flood.
  for (const bot of bots) await redis.hset(tickerKey(deployment.namespace, bot.exchange, bot.symbol), { last: '30000', bid: '30000', ask: '30000', baseVolume: '1', time: new Date(t0 + rounds * MINUTE).toISOString() });
  const events = Array.from({ length: o.signals }, (_, i) => {
    const bot = bots[i % bots.length];
    const round = Math.floor(i / bots.length);
    const candleTime = new Date(t0 + round * MINUTE).toISOString();
    const target = round % 2 === 0 ? 'long' : 'flat';
    return createEvent(
      SignalEmitted.TYPE,
      { signalId: SignalEmitted.signalIdOf(bot.id, candleTime, target), botId: bot.id, userId: bot.userId, strategy: BENCH_FLIP, exchange: bot.exchange, symbol: bot.symbol, timeframe: '1m', candleTime, target, price: '30000', reason: 'bench flood', indicators: {} },
      { source: 'strategy' },
    );
  });
  const ids = bots.map((b) => b.id);
  const counts = async () => (await pg.query<{ n: string; filled: string }>(`SELECT count(*) AS n, count(*) FILTER (WHERE status = 'filled') AS filled FROM trading.orders WHERE bot_id = ANY($1::uuid[])`, [ids])).rows[0];
  const started = Date.now();
  await publisher.publishBatch(Streams.StrategySignals, events);
  let last = { n: 0, at: Date.now() };
  for (;;) {
    deployment.assertAlive();
    const { n, filled } = await counts();
    if (Number(n) >= o.signals) return { signals: o.signals, filled: Number(filled), ms: Date.now() - started };
    if (Number(n) !== last.n) last = { n: Number(n), at: Date.now() };
    if (Date.now() - last.at > o.idleTimeoutMs) throw new Error(`signal flood stalled: ${n}/${o.signals} signals had their order after ${Date.now() - started} ms`);
    await sleep(100);
  }
}

async function waitFor(check: () => Promise<boolean>, what: string, deployment: PipelineDeployment, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    deployment.assertAlive();
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

function report(o: Options, bare: Awaited<ReturnType<typeof measureBareRoundTrip>>, flood: FloodResult, paced: CandleRunResult, max: CandleRunResult): void {
  const n = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : 'n/a');
  const ms = (x: number, digits = 0) => (Number.isFinite(x) ? `${x.toFixed(digits)} ms` : 'n/a');
  const row = (label: string, rate: string, p50: string, p99: string, note = '') => console.log(`${label.padEnd(44)}${rate.padEnd(34)}${p50.padStart(10)}${p99.padStart(11)}   ${note}`);
  console.log('');
  row('', 'throughput', 'p50', 'p99');
  row('bare XADD -> XREADGROUP loop (same Redis)', `${n(bare.perSecond)} msg/s`, ms(bare.p50, 2), ms(bare.p99, 2), `latency at ${n(o.rate)} msg/s`);
  row(
    'signals flood -> risk check + paper fill',
    `${n((flood.signals * 1000) / flood.ms)} signals/s`,
    '',
    '',
    `${n(flood.signals)} signals over ${o.floodBots} bots, every one had its order after ${(flood.ms / 1000).toFixed(1)} s (${n(flood.filled)} filled)`,
  );
  for (const [label, r] of [[`candle -> fill, paced ${n(o.rate)} candles/s`, paced], ['candle -> fill, max rate', max]] as const) {
    row(label, `${n(r.publishedPerSecond)} candles/s published`, ms(r.candleToFill.p50), ms(r.candleToFill.p99), `${n(r.fills)}/${n(r.expectedSignals)} expected fills, ${n(r.candles)} candles`);
    row('  strategy consumed', `${n(r.evaluatedPerSecond)} candles/s`, '', '', Number.isFinite(r.evaluatedPerSecond) ? '' : 'strategy did not catch up before the idle timeout');
    row('  fills', `${n(r.fillsPerSecond)} fills/s`, '', '');
    row('  of which candle -> SignalEmitted', '', ms(r.candleToSignal.p50), ms(r.candleToSignal.p99), `${n(r.signals)} signals${r.unexpectedSignals ? `, ${r.unexpectedSignals} UNEXPECTED` : ''}`);
    row('  of which SignalEmitted -> OrderFilled', '', ms(r.signalToFill.p50), ms(r.signalToFill.p99));
    const consumers = [...r.consumers]
      .sort((a, b) => a.group.localeCompare(b.group))
      .map((c) => `${c.group} ${Number.isFinite(c.caughtUpAfterMs) ? `after ${(c.caughtUpAfterMs / 1000).toFixed(1)} s` : `${n(c.behindAtEnd)} events behind at the end`}`);
    console.log(`    events:market_data consumed (from the first candle): ${consumers.join(', ')}`);
    const silent = r.signals - r.fills - r.rejected;
    if (r.rejections.size) console.log(`    rejected orders: ${[...r.rejections].map(([reason, count]) => `${reason} x${count}`).join(', ')}`);
    if (silent > 0) console.log(`    ${silent} signals published no order event (a no-op: the bot already held the target, e.g. after a rejected entry)`);
  }
  console.log('');
  console.log(`ratio candle -> fill p50 / bare round-trip p50: paced ${n(paced.candleToFill.p50 / bare.p50)}x, max rate ${n(max.candleToFill.p50 / bare.p50)}x`);
  console.log(`ratio candles/s at max rate (strategy consumed) / bare msg/s: ${(max.evaluatedPerSecond / bare.perSecond).toFixed(4)}`);
  if (paced.evaluatedPerSecond < 0.95 * o.rate) {
    console.log(`note: at ${n(o.rate)} candles/s offered the strategy consumed only ${n(paced.evaluatedPerSecond)}/s: the paced latency includes queueing (lower --rate to measure below saturation)`);
  }
}
