import { Inject, Injectable, Logger } from '@nestjs/common';
import { createFollowUpEvent, MarketCandleClosed, SignalEmitted, Streams } from '@trading/contracts';
import { CachedCandle, CandleWindowCache } from '@trading/market-cache';
import { MetricsRegistry, REDIS_CLIENT, SERVICE_CONFIG } from '@trading/service-runtime';
import { Candle, TargetPosition } from '@trading/strategies';
import { normalizeNamespace, OutboxWriter, runIdempotent } from '@trading/streams';
import type Redis from 'ioredis';
import { DataSource, EntityManager } from 'typeorm';
import { BotStateEntity } from '../bots/bot-state.entity';
import { BotCandleDecision, BotStateRepository } from '../bots/bot-state.repository';
import { BotRepository, LockedRunningBot } from '../bots/bot.repository';
import { StrategyEnv } from '../config/strategy.env';
import { SignalEntity, SignalType } from '../signals/signal.entity';
import { SignalRepository } from '../signals/signal.repository';
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
 * nothing twice. The transaction first locks the market's running bots (bots row, then bot_state,
 * in id order, one statement), then claims the event: instances evaluating candles of the same market
 * serialize per bot, and a later candle decided first catches up on the earlier ones (the earlier
 * event then finds them decided). A market without running bots claims nothing. Round trips per
 * candle: lock, claim, window read (Redis), one state + heartbeat update, commit; plus the signals.
 */
@Injectable()
export class CandleEvaluationService {
  private readonly logger = new Logger(CandleEvaluationService.name);
  private readonly cache: CandleWindowCache;
  private readonly outbox = new OutboxWriter({ schema: 'strategy' });
  private readonly cacheSize: number;
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
    this.cacheSize = config.CANDLE_WINDOW_SIZE;
    this.cache = new CandleWindowCache(redis, normalizeNamespace(config.REDIS_NAMESPACE), config.CANDLE_WINDOW_SIZE);
  }

  async onCandleClosed(event: MarketCandleClosed.Event): Promise<CandleOutcome> {
    const candle = event.payload;
    const time = Date.parse(candle.openTime);
    const started = Date.now();
    const outcome = await this.dataSource.transaction(async (m) => {
      const running = await this.bots.lockRunningForMarket(candle, m);
      if (running.length === 0) return null;
      return runIdempotent(m, { schema: 'strategy', consumerGroup: CONSUMER_GROUP, eventId: event.id }, (tx) => this.evaluate(tx, running, event, time));
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
  private async evaluate(m: EntityManager, running: readonly LockedRunningBot[], event: MarketCandleClosed.Event, time: number): Promise<{ bots: number; signals: number }> {
    const candle = event.payload;
    const due = running.filter((bot) => bot.lastCandleTime === null || bot.lastCandleTime.getTime() < time); // others decided it already (redelivery, or caught up by a later candle)
    if (due.length === 0) return { bots: 0, signals: 0 };
    let needed = 1; // over every running bot of the market, as the window has always been read
    for (const bot of running) {
      try {
        needed = Math.max(needed, candlesNeeded(bot.strategyType ?? '', bot.strategyParams, this.cacheSize));
      } catch {
        // unknown strategy or invalid params: reported per bot below
      }
    }
    const window = withDecidingCandle(await this.cache.window(candle.exchange, candle.symbol, candle.timeframe, needed, time), candle, time);
    const now = new Date();
    const emitted: SignalEmitted.Event[] = [];
    const decided: BotCandleDecision[] = [];
    for (const bot of due) {
      let target = storedTarget(bot);
      let errorMessage: string | null = null;
      try {
        if (bot.strategyType === null) throw new Error(`strategy ${bot.strategyId} not found`);
        const result = evaluateBot(window, { strategy: bot.strategyType, params: bot.strategyParams, target, lastCandleTime: bot.lastCandleTime?.getTime() ?? null }, this.cacheSize);
        for (const decision of result.decisions) {
          const signal = await this.record(m, bot, bot.strategyType, decision, event);
          if (signal) emitted.push(signal);
        }
        target = result.target;
      } catch (e) {
        errorMessage = e instanceof Error ? e.message : String(e);
        this.logger.warn({ msg: 'bot evaluation failed', botId: bot.id, candleTime: candle.openTime, error: errorMessage });
      }
      decided.push({ botId: bot.id, target, errorMessage });
    }
    await this.states.recordCandleDecisions(new Date(time), now, decided, m);
    await this.outbox.add(m, Streams.StrategySignals, emitted); // last: holds the outbox lock until commit
    return { bots: due.length, signals: emitted.length };
  }

  private async record(m: EntityManager, bot: LockedRunningBot, strategy: string, decision: BotDecision, cause: MarketCandleClosed.Event): Promise<SignalEmitted.Event | null> {
    const { candle, signal, previousTarget } = decision;
    const id = signalIdFor(bot.id, candle.time, signal.target);
    const price = (candle as DecidingCandle).exactClose ?? String(candle.close);
    const candleTime = new Date(candle.time);
    const stored = await this.signals.insertIfAbsent(
      {
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
      } satisfies Partial<SignalEntity> & { id: string },
      m,
    );
    if (!stored) return null;
    return createFollowUpEvent(
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
    );
  }
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
