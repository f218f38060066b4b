import { Inject, Injectable, Logger } from '@nestjs/common';
import { createFollowUpEvent, MarketCandleClosed, SignalEmitted, Streams } from '@trading/contracts';
import { CachedCandle, CandleWindowCache } from '@trading/market-cache';
import { MetricsRegistry, REDIS_CLIENT, SERVICE_CONFIG } from '@trading/service-runtime';
import { Candle, TargetPosition } from '@trading/strategies';
import { normalizeNamespace, OutboxWriter } from '@trading/streams';
import type Redis from 'ioredis';
import { DataSource, EntityManager } from 'typeorm';
import { BotStateEntity } from '../bots/bot-state.entity';
import { BotCandleDecision, BotStateRepository } from '../bots/bot-state.repository';
import { BotRepository, CandleMarket, LockedRunningBot } from '../bots/bot.repository';
import { candleConcurrency, StrategyEnv } from '../config/strategy.env';
import { SignalType } from '../signals/signal.entity';
import { EvaluatedSignal, SignalRepository } from '../signals/signal.repository';
import { BotDecision, candlesNeeded, evaluateBot } from './bot-evaluator';
import { signalIdFor } from './signal-id';

export const CONSUMER_GROUP = 'strategy';
const SOURCE = 'strategy';

export interface CandleOutcome {
  readonly duplicate: boolean;
  readonly bots: number;
  readonly signals: number;
}

/** The state a bot's strategy carries between candles, in bot_state.state. */
export function storedTarget(state: Pick<BotStateEntity, 'state'> | null): TargetPosition {
  const target: unknown = state?.state?.target;
  return target === 'long' || target === 'short' ? target : 'flat';
}

/**
 * Evaluates every running bot of a closed candle's market. One transaction per candle event: the
 * processed-event row, each bot's signals, bot_state (target, last candle) and heartbeat, and the
 * SignalEmitted outbox rows commit together, so a redelivered candle or a second instance emits
 * nothing twice. The transaction's first statement locks the market's running bots (bots row, then
 * bot_state, in id order) and then claims the event: instances evaluating candles of the same market
 * serialize per bot, and a later candle decided first catches up on the earlier ones (the earlier
 * event then finds them decided). A market without running bots claims nothing.
 *
 * Statements are what a candle costs (each a socket write, a wake-up of this process and of PostgreSQL, and
 * planning unless prepared), so a candle takes four: BEGIN, lock + claim, one state + heartbeat update,
 * COMMIT, the two in the middle prepared once per connection; a candle with signals adds one insert for all
 * of them and the outbox insert. The candle window is read from Redis while the transaction starts, sized by
 * what the market's bots needed last time (read again in the rare case they need more now). A candle of a
 * market that had no running bots last time costs one statement and no transaction until a bot runs there.
 */
@Injectable()
export class CandleEvaluationService {
  private readonly logger = new Logger(CandleEvaluationService.name);
  private readonly cache: CandleWindowCache;
  private readonly outbox = new OutboxWriter({ schema: 'strategy' });
  private readonly cacheSize: number;
  /** Per market (exchange|symbol|timeframe): the window length its bots needed at its last candle; 0 if none ran. */
  private readonly windowNeeds = new Map<string, number>();
  private readonly counts = { candles: 0, duplicateCandles: 0, botEvaluations: 0, signals: 0, lastEvaluationMs: 0 };

  constructor(
    private readonly dataSource: DataSource,
    private readonly signals: SignalRepository,
    private readonly bots: BotRepository,
    private readonly states: BotStateRepository,
    @Inject(REDIS_CLIENT) redis: Redis,
    @Inject(SERVICE_CONFIG) config: StrategyEnv,
    metrics: MetricsRegistry,
  ) {
    metrics.register('evaluation', () => ({ ...this.counts }));
    const concurrency = candleConcurrency(config);
    if (concurrency < config.STREAMS_CONCURRENCY) {
      this.logger.warn({ msg: 'candle concurrency lowered to what the database pool serves', STREAMS_CONCURRENCY: config.STREAMS_CONCURRENCY, DATABASE_POOL_SIZE: config.DATABASE_POOL_SIZE, concurrency });
    }
    this.cacheSize = config.CANDLE_WINDOW_SIZE;
    this.cache = new CandleWindowCache(redis, normalizeNamespace(config.REDIS_NAMESPACE), config.CANDLE_WINDOW_SIZE);
  }

  async onCandleClosed(event: MarketCandleClosed.Event): Promise<CandleOutcome> {
    const candle = event.payload;
    const time = Date.parse(candle.openTime);
    const started = Date.now();
    const market = marketKey(candle);
    const expected = this.windowNeeds.get(market);
    if (!expected && !(await this.bots.hasRunningForMarket(candle))) {
      this.windowNeeds.set(market, 0);
      return { duplicate: false, bots: 0, signals: 0 };
    }
    // Not awaited yet: the read overlaps the transaction's first round trips. A failure is read again below.
    const prefetched = expected ? this.readWindow(candle, time, expected).catch(() => null) : Promise.resolve(null);
    const outcome = await this.dataSource.transaction(async (m) => {
      const locked = await this.bots.lockRunningForCandle(candle, { consumerGroup: CONSUMER_GROUP, eventId: event.id }, m);
      if (locked.bots.length === 0) {
        this.windowNeeds.set(market, 0);
        return null;
      }
      if (!locked.claimed) return { duplicate: true } as const;
      return { duplicate: false, result: await this.evaluate(m, locked.bots, event, time, prefetched) } as const;
    });
    if (outcome === null) return { duplicate: false, bots: 0, signals: 0 };
    this.counts.candles++;
    if (outcome.duplicate) {
      this.counts.duplicateCandles++;
      return { duplicate: true, bots: 0, signals: 0 };
    }
    this.counts.botEvaluations += outcome.result.bots;
    this.counts.signals += outcome.result.signals;
    this.counts.lastEvaluationMs = Date.now() - started;
    return { duplicate: false, ...outcome.result };
  }

  /** Decides the candle for the locked bots that have not decided it yet, in id order. */
  private async evaluate(
    m: EntityManager,
    running: readonly LockedRunningBot[],
    event: MarketCandleClosed.Event,
    time: number,
    prefetched: Promise<PrefetchedWindow | null>,
  ): Promise<{ bots: number; signals: number }> {
    const candle = event.payload;
    let needed = 1; // over every running bot of the market, as the window has always been read
    for (const bot of running) {
      try {
        needed = Math.max(needed, candlesNeeded(bot.strategyType ?? '', bot.strategyParams, this.cacheSize));
      } catch {
        // unknown strategy or invalid params: reported per bot below
      }
    }
    this.windowNeeds.set(marketKey(candle), needed);
    const due = running.filter((bot) => bot.lastCandleTime === null || bot.lastCandleTime.getTime() < time); // others decided it already (redelivery, or caught up by a later candle)
    if (due.length === 0) return { bots: 0, signals: 0 };
    const early = await prefetched;
    // The newest `needed` candles at or before the candle are the tail of a longer read of the same list.
    const cached = early && early.count >= needed ? early.candles.slice(-needed) : await this.cache.window(candle.exchange, candle.symbol, candle.timeframe, needed, time);
    const window = withDecidingCandle(cached, candle, time);
    const now = new Date();
    const decided: BotCandleDecision[] = [];
    const found: { signal: EvaluatedSignal; event: SignalEmitted.Event }[] = [];
    for (const bot of due) {
      let target = storedTarget(bot);
      let errorMessage: string | null = null;
      try {
        const strategy = bot.strategyType;
        if (strategy === null) throw new Error(`strategy ${bot.strategyId} not found`);
        const result = evaluateBot(window, { strategy, params: bot.strategyParams, target, lastCandleTime: bot.lastCandleTime?.getTime() ?? null }, this.cacheSize);
        const signals = result.decisions.map((decision) => signalOf(bot, strategy, decision, event));
        found.push(...signals);
        target = result.target;
      } catch (e) {
        errorMessage = e instanceof Error ? e.message : String(e);
        this.logger.warn({ msg: 'bot evaluation failed', botId: bot.id, candleTime: candle.openTime, error: errorMessage });
      }
      decided.push({ botId: bot.id, target, errorMessage });
    }
    const stored = await this.signals.insertManyIfAbsent(found.map((f) => f.signal), m);
    const emitted = found.filter((f) => stored.has(f.signal.id)).map((f) => f.event);
    await this.states.recordCandleDecisions(new Date(time), now, decided, m);
    await this.outbox.add(m, Streams.StrategySignals, emitted); // last: holds the outbox lock until commit
    return { bots: due.length, signals: emitted.length };
  }

  private async readWindow(market: CandleMarket, time: number, count: number): Promise<PrefetchedWindow> {
    return { count, candles: await this.cache.window(market.exchange, market.symbol, market.timeframe, count, time) };
  }
}

/** A window read before the bots were locked: the newest `count` cached candles at or before the candle. */
interface PrefetchedWindow {
  readonly count: number;
  readonly candles: CachedCandle[];
}

function marketKey(market: CandleMarket): string {
  return `${market.exchange}|${market.symbol}|${market.timeframe}`;
}

/** The signal row of a decision and the SignalEmitted it publishes once stored (by this transaction). */
function signalOf(bot: LockedRunningBot, strategy: string, decision: BotDecision, cause: MarketCandleClosed.Event): { signal: EvaluatedSignal; event: SignalEmitted.Event } {
  const { candle, signal, previousTarget } = decision;
  const id = signalIdFor(bot.id, candle.time, signal.target);
  const price = (candle as DecidingCandle).exactClose ?? String(candle.close);
  const candleTime = new Date(candle.time);
  return {
    signal: {
      id,
      botId: bot.id,
      userId: bot.userId,
      strategy,
      exchange: bot.exchange,
      symbol: bot.symbol,
      timeframe: bot.timeframe,
      candleTime,
      signalType: signalTypeOf(previousTarget, signal.target),
      target: signal.target,
      price,
      indicators: signal.indicators,
      passedFilters: {},
      notes: signal.reason,
    },
    event: createFollowUpEvent(
      SignalEmitted.TYPE,
      {
        signalId: id,
        botId: bot.id,
        userId: bot.userId,
        strategy,
        exchange: bot.exchange,
        symbol: bot.symbol,
        timeframe: bot.timeframe as SignalEmitted.Payload['timeframe'],
        candleTime: candleTime.toISOString(),
        target: signal.target,
        price,
        reason: signal.reason.slice(0, 500),
        indicators: { ...signal.indicators },
      },
      cause,
      SOURCE,
    ),
  };
}

/** A strategy candle that remembers the exact close text (the signal's price). */
interface DecidingCandle extends Candle {
  readonly exactClose: string;
}

function toCandle(c: CachedCandle): DecidingCandle {
  return { time: c.time, open: Number(c.open), high: Number(c.high), low: Number(c.low), close: Number(c.close), volume: Number(c.volume), exactClose: c.close };
}

/**
 * The cached window up to the candle; market-data caches before it publishes, so the candle is
 * normally there. If it is not (cache flushed), the event's own candle closes the window.
 */
function withDecidingCandle(cached: CachedCandle[], candle: MarketCandleClosed.Payload, time: number): DecidingCandle[] {
  const window = cached.map(toCandle);
  if (window.length === 0 || window[window.length - 1].time < time) {
    window.push(toCandle({ time, open: candle.open, high: candle.high, low: candle.low, close: candle.close, volume: candle.volume }));
  }
  return window;
}

export function signalTypeOf(previous: TargetPosition, next: TargetPosition): SignalType {
  if (next === 'long') return 'long';
  if (next === 'short') return 'short';
  return previous === 'short' ? 'close_short' : 'close_long';
}
