import { Streams } from '@trading/contracts';
import type { TargetPosition } from '@trading/strategies';
import { streamKey } from '@trading/streams';
import type Redis from 'ioredis';
import type { Client } from 'pg';
import { performance } from 'node:perf_hooks';
import { PipelineDeployment, sleep } from './pipeline-deployment';
import { CandleRef, MarketDataStandIn, PublishedCandle } from './pipeline-market';
import { flipTarget } from './pipeline-strategies/bench-flip.strategy';
import { CandleOutcomes, consumerPositions, groupsBehind, percentiles, StreamTail, streamsIdle } from './pipeline-trace';

/** The strategy service's consumer group on events:market_data. */
const STRATEGY_GROUP = 'strategy';
const POLL_MS = 200;
const TICKER_REFRESH_MS = 10_000;

export interface CandleRunContext {
  readonly redis: Redis;
  readonly deployment: PipelineDeployment;
  readonly market: MarketDataStandIn;
  /** bench_flip's `minutes`. */
  readonly minutes: number;
  /** The bench's connection to the services' database (read only). */
  readonly pg: Client;
  /** Each market's bot target after the candles published so far (bot_state starts flat); advanced by each run. */
  readonly targets: TargetPosition[];
}

export interface CandleRunOptions {
  /** Candles per market, from candle `firstIndex` on; published round-robin over the markets. */
  readonly rounds: number;
  readonly firstIndex: number;
  /** Candles per second, or as fast as the publisher goes in batches of `batch`. */
  readonly rate: number | 'max';
  readonly batch: number;
  /**
   * Also wait until every consumer of the candles and of what they caused has caught up, so that the next
   * run starts from quiet services; else the run ends with its last fill (and the strategy caught up).
   */
  readonly drain: boolean;
  /** Give up waiting for outstanding fills after this long without progress (no outcome, no consumer group moving). */
  readonly idleTimeoutMs: number;
}

export interface ConsumerProgress {
  readonly group: string;
  /** From the first publish until the group had acked every entry of the run; NaN if not by the end. */
  readonly caughtUpAfterMs: number;
  /** Entries it had not acked when the run ended. */
  readonly behindAtEnd: number;
}

export interface Percentiles {
  readonly p50: number;
  readonly p99: number;
}

export interface CandleRunResult {
  readonly candles: number;
  /** Candles/s as entered on events:market_data (first to last entry). */
  readonly publishedPerSecond: number;
  /** Candles/s the strategy group consumed: candles / (first publish -> group caught up); NaN if it never did. */
  readonly evaluatedPerSecond: number;
  /** Each consumer group of events:market_data: when it had consumed every candle of the run, or how far behind it was at the end. */
  readonly consumers: readonly ConsumerProgress[];
  readonly expectedSignals: number;
  readonly signals: number;
  /** Signals on candles where none was expected (must stay 0). */
  readonly unexpectedSignals: number;
  readonly fills: number;
  /** Signals whose order was rejected (OrderRejected); the rest of signals - fills - rejected published no order event. */
  readonly rejected: number;
  /** Fills / (first candle published -> last fill). */
  readonly fillsPerSecond: number;
  readonly rejections: ReadonlyMap<string, number>;
  readonly candleToFill: Percentiles;
  readonly candleToSignal: Percentiles;
  readonly signalToFill: Percentiles;
}

/**
 * Publishes candles of every bench market (as market-data would) and follows each one down the real path:
 * strategy -> SignalEmitted on events:strategy_signals -> trading-engine (risk over RPC, paper fill) ->
 * OrderFilled on events:orders, matched by the correlation id every event inherits from the candle's.
 * Latency = entry time of the OrderFilled minus entry time of the candle (one Redis clock).
 */
export async function runCandles(ctx: CandleRunContext, options: CandleRunOptions): Promise<CandleRunResult> {
  const refs: CandleRef[] = [];
  for (let round = 0; round < options.rounds; round++) {
    for (let market = 0; market < ctx.targets.length; market++) refs.push({ market, index: options.firstIndex + round });
  }
  const expected = new Set<string>();
  for (const ref of refs) {
    const wanted = flipTarget(ctx.market.timeOf(ref), ctx.minutes);
    if (wanted !== ctx.targets[ref.market]) expected.add(refKey(ref));
    ctx.targets[ref.market] = wanted;
  }
  const signalsTail = await StreamTail.fromEnd(ctx.redis, ctx.deployment.namespace, Streams.StrategySignals);
  const ordersTail = await StreamTail.fromEnd(ctx.redis, ctx.deployment.namespace, Streams.Orders);

  const startedAt = Date.now();
  const published = options.rate === 'max' ? await publishFlat(ctx.market, refs, options.batch) : await publishPaced(ctx.market, refs, options.rate);
  const outcomes = new CandleOutcomes(new Set(published.map((p) => p.eventId)));
  const expectedIds = new Set(published.filter((p) => expected.has(refKey(p))).map((p) => p.eventId));

  const marketKey = streamKey(ctx.deployment.namespace, Streams.MarketData);
  const downstream = [Streams.StrategySignals, Streams.Orders, Streams.Trades].map((stream) => streamKey(ctx.deployment.namespace, stream));
  const caughtUpAfter = new Map<string, number>();
  let behind = new Map<string, number>();
  let positions = '';
  let tickersRefreshedAt = Date.now();
  for (;;) {
    ctx.deployment.assertAlive();
    outcomes.observeSignals(await signalsTail.read());
    outcomes.observeOrders(await ordersTail.read());
    behind = await groupsBehind(ctx.redis, marketKey);
    for (const [group, n] of behind) if (n === 0 && !caughtUpAfter.has(group)) caughtUpAfter.set(group, Date.now() - startedAt);
    const signalled = [...expectedIds].every((id) => outcomes.signalAt.has(id));
    if (caughtUpAfter.has(STRATEGY_GROUP) && signalled && (await everySignalHandled(ctx.pg, outcomes))) {
      if (!options.drain) break;
      // every consumer done with these candles and nothing in flight downstream: the next run starts from quiet services
      if (caughtUpAfter.size === behind.size && (await streamsIdle(ctx.redis, downstream))) break;
    }
    const current = await consumerPositions(ctx.redis, [marketKey, ...downstream]);
    if (current !== positions) {
      positions = current;
      outcomes.lastProgressAt = Date.now();
    }
    if (Date.now() - outcomes.lastProgressAt > options.idleTimeoutMs) break;
    if (Date.now() - tickersRefreshedAt > TICKER_REFRESH_MS) {
      await ctx.market.keepTickersAlive();
      tickersRefreshedAt = Date.now();
    }
    await sleep(POLL_MS);
  }
  const consumers = [...behind].map(([group, n]) => ({ group, caughtUpAfterMs: caughtUpAfter.get(group) ?? NaN, behindAtEnd: n }));

  const byId = new Map(published.map((p) => [p.eventId, p]));
  const toFill: number[] = [];
  const toSignal: number[] = [];
  const signalToFill: number[] = [];
  for (const [id, filledAt] of outcomes.filledAt) {
    const candle = byId.get(id);
    if (!candle) continue;
    toFill.push(filledAt - candle.publishedAt);
    const signalAt = outcomes.signalAt.get(id);
    if (signalAt !== undefined) signalToFill.push(filledAt - signalAt);
  }
  for (const [id, signalAt] of outcomes.signalAt) toSignal.push(signalAt - (byId.get(id)?.publishedAt ?? NaN));
  const first = published[0].publishedAt;
  const last = published[published.length - 1].publishedAt;
  const lastFill = Math.max(...outcomes.filledAt.values());
  return {
    candles: published.length,
    publishedPerSecond: last > first ? ((published.length - 1) * 1000) / (last - first) : NaN,
    evaluatedPerSecond: (published.length * 1000) / (caughtUpAfter.get(STRATEGY_GROUP) ?? NaN),
    consumers,
    expectedSignals: expectedIds.size,
    signals: outcomes.signalAt.size,
    unexpectedSignals: [...outcomes.signalAt.keys()].filter((id) => !expectedIds.has(id)).length,
    fills: outcomes.filledAt.size,
    rejected: outcomes.rejectedAt.size,
    fillsPerSecond: outcomes.filledAt.size ? (outcomes.filledAt.size * 1000) / (lastFill - first) : NaN,
    rejections: outcomes.rejections,
    candleToFill: summary(toFill),
    candleToSignal: summary(toSignal),
    signalToFill: summary(signalToFill),
  };
}

/**
 * The engine records exactly one order row per signal, under the signal id as client order id (placed,
 * rejected, or a no-op when the bot already holds the target, which publishes nothing).
 */
async function everySignalHandled(pg: Client, outcomes: CandleOutcomes): Promise<boolean> {
  const ids = [...outcomes.signalIds.values()];
  const { rows } = await pg.query<{ n: string }>('SELECT count(*) AS n FROM trading.orders WHERE client_order_id = ANY($1::text[])', [ids]);
  return Number(rows[0]?.n) === ids.length;
}

/** Round-robin at `rate` candles/s: each timer tick publishes the candles that have come due since the last. */
async function publishPaced(market: MarketDataStandIn, refs: readonly CandleRef[], rate: number): Promise<PublishedCandle[]> {
  const out: PublishedCandle[] = [];
  const start = performance.now();
  let next = 0;
  while (next < refs.length) {
    const due = Math.min(refs.length, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
    if (due > next) {
      out.push(...(await market.publish(refs.slice(next, due))));
      next = due;
    } else {
      await sleep(Math.max(1, start + (next * 1000) / rate - performance.now()));
    }
  }
  return out;
}

/** As fast as the publisher goes: batches of `batch` candles, each cached and published before the next. */
async function publishFlat(market: MarketDataStandIn, refs: readonly CandleRef[], batch: number): Promise<PublishedCandle[]> {
  const out: PublishedCandle[] = [];
  for (let i = 0; i < refs.length; i += batch) out.push(...(await market.publish(refs.slice(i, i + batch))));
  return out;
}

function summary(values: readonly number[]): Percentiles {
  const [p50, p99] = percentiles(values, 50, 99);
  return { p50, p99 };
}

const refKey = (ref: CandleRef) => `${ref.market}:${ref.index}`;
