import { Injectable, Logger } from '@nestjs/common';
import { PositionChanged, RiskLimitBreached, SignalEmitted, StreamEventMap, Streams, TradeExecuted, TradingState, createEvent, createFollowUpEvent } from '@trading/contracts';
import { OutboxWriter, runIdempotent } from '@trading/streams';
import Decimal from 'decimal.js';
import { DataSource, EntityManager } from 'typeorm';
import { BotAccountRepository } from '../accounts/bot-account.repository';
import { positionKey } from '../book/bot-account';
import { LimitCrossing, limitCrossings } from '../book/breach-monitor';
import { dailyRiskMetrics } from '../book/daily-risk-metrics';
import { RiskBookHolder } from '../book/risk-book.provider';
import { mostRestrictive } from '../book/risk-book';
import { BookFeed } from '../feed/book-feed';
import type { BreachAction, LimitType, RiskScope } from '../limits/risk-limit.entity';
import { RiskEventRepository } from '../risk-events/risk-event.repository';
import { RiskMetricsRepository } from '../risk-metrics/risk-metrics.repository';
import { RiskSettingsSync } from '../settings/risk-settings-sync';
import { TradingStateRepository } from '../trading-state/trading-state.repository';

type TradesEvent = TradeExecuted.Event | PositionChanged.Event;
type Parent = { id: string; correlationId: string };

/** The contract's limit vocabulary is coarser than risk_limits' for position limits; the exact limit travels in the message. */
const CONTRACT_LIMIT_TYPE: Record<LimitType, RiskLimitBreached.RiskLimitType> = {
  max_position_size: 'MAX_POSITION_SIZE',
  max_position_pct: 'MAX_POSITION_VALUE',
  max_open_positions: 'MAX_POSITION_SIZE',
  max_exposure: 'MAX_EXPOSURE',
  max_leverage: 'MAX_EXPOSURE',
  max_daily_loss_pct: 'MAX_DAILY_LOSS',
  max_weekly_loss_pct: 'MAX_WEEKLY_LOSS',
  max_drawdown_pct: 'MAX_DRAWDOWN',
  max_trades_per_day: 'MAX_ORDER_RATE',
  daily_profit_target_pct: 'DAILY_PROFIT_TARGET',
  cooldown_after_stop_loss_minutes: 'MAX_ORDER_RATE',
};

/** What a breach does to its scope's state, and what the engine is asked to do. */
const ON_BREACH: Record<BreachAction, { state: TradingState; action: RiskLimitBreached.RiskAction; taken: string }> = {
  block: { state: 'HALTED', action: 'HALT', taken: 'trading_halted' },
  halt: { state: 'HALTED', action: 'HALT', taken: 'trading_halted' },
  reduce: { state: 'REDUCING', action: 'REDUCE_ONLY', taken: 'reduce_only' },
  flatten: { state: 'HALTED', action: 'CLOSE_POSITIONS', taken: 'trading_halted_flatten_requested' },
};

const SOURCE = 'risk';

/**
 * The durable side of the book, run by the consumer group (each stream entry by one instance): once this instance's
 * book holds the entry (BookFeed.reached), saves the bot's account and daily risk_metrics, and turns limit crossings
 * into risk_events (warnings at the limit's warning levels, breaches at the limit), trading-state changes and
 * RiskLimitBreached events (outbox), all in the transaction of the entry that caused them.
 */
@Injectable()
export class RiskMonitor {
  private readonly logger = new Logger(RiskMonitor.name);
  private readonly outbox = new OutboxWriter({ schema: 'risk' });

  constructor(
    private readonly holder: RiskBookHolder,
    private readonly feed: BookFeed,
    private readonly sync: RiskSettingsSync,
    private readonly dataSource: DataSource,
    private readonly accounts: BotAccountRepository,
    private readonly riskEvents: RiskEventRepository,
    private readonly states: TradingStateRepository,
    private readonly riskMetrics: RiskMetricsRepository,
  ) {}

  async onTradesEvent(event: TradesEvent, entryId: string): Promise<void> {
    const p = event.payload;
    if (!p.botId) return; // a manual trade belongs to no bot account
    await this.feed.reached(Streams.Trades, entryId);
    const account = this.holder.book.account(p.botId);
    if (!account) throw new Error(`bot ${p.botId} is not in the book after its event was applied`);
    const at = new Date(event.type === TradeExecuted.TYPE ? event.payload.executedAt : event.payload.changedAt);
    const crossings = this.fresh(limitCrossings(this.holder.book, p.botId, new Date(Math.max(at.getTime(), Date.now()))));
    const outcome = await runIdempotent(this.dataSource, { schema: 'risk', consumerGroup: 'risk', eventId: event.id }, async (m) => {
      if (await this.accounts.save(account, m)) {
        const stored = await this.riskMetrics.find(account.botId, account.day, m);
        await this.riskMetrics.upsertDaily(dailyRiskMetrics(account, stored ? new Decimal(stored.maxDrawdownPct) : null), m);
      }
      return this.record(crossings, m, event);
    });
    if (!outcome.duplicate) this.applied(outcome.result);
  }

  /**
   * A bot event: the account (owner, capital) is saved, so a restarted instance knows the bot before its first trade
   * and measures it against its capital. A signal of a bot whose trades are saved already changes nothing stored.
   */
  async onBotEvent(event: StreamEventMap[typeof Streams.StrategySignals], entryId: string): Promise<void> {
    await this.feed.reached(Streams.StrategySignals, entryId);
    const account = this.holder.book.account(event.payload.botId);
    if (!account) throw new Error(`bot ${event.payload.botId} is not in the book after its event was applied`);
    if (event.type === SignalEmitted.TYPE && account.applied.tradesEntryId !== null) return;
    await this.dataSource.transaction((m) => this.accounts.save(account, m));
  }

  /** A new market price re-marked the positions on the symbol (in every book): limits are checked, nothing else is written. */
  async onMark(exchange: string, symbol: string, at: Date, entryId: string): Promise<void> {
    await this.feed.reached(Streams.MarketData, entryId);
    const book = this.holder.book;
    const key = positionKey(exchange, symbol);
    for (const account of [...book.allAccounts()]) {
      if (!account.positions.has(key)) continue;
      const crossings = this.fresh(limitCrossings(book, account.botId, new Date(Math.max(at.getTime(), Date.now()))));
      if (crossings.length === 0) continue;
      const changes = await this.dataSource.transaction(async (m) => {
        await this.accounts.save(account, m);
        return this.record(crossings, m, null);
      });
      this.applied(changes);
    }
  }

  /**
   * Crossings not reported yet. A breach whose scope already is in the breach's state or a stricter one (halted by an
   * earlier breach before a restart, or by hand) changes nothing and is not reported again.
   */
  private fresh(crossings: LimitCrossing[]): LimitCrossing[] {
    return crossings.filter((c) => {
      if (this.holder.crossings.has(c.key)) return false;
      const current = this.holder.book.stateOf(c.subject.scope, c.subject.id);
      if (c.severity === 'breach' && mostRestrictive([current, ON_BREACH[c.rule.action].state]) === current) {
        this.holder.crossings.add(c.key);
        return false;
      }
      return true;
    });
  }

  private async record(crossings: LimitCrossing[], m: EntityManager, parent: Parent | null): Promise<AppliedCrossings> {
    const stateChanges: AppliedCrossings['stateChanges'] = [];
    const breaches: RiskLimitBreached.Event[] = [];
    // One order on every instance: two transactions inserting the same keys never wait on each other crosswise.
    for (const c of [...crossings].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
      const effect = ON_BREACH[c.rule.action];
      const current = c.current.toDecimalPlaces(8);
      const message = `${c.rule.limitType} ${c.severity === 'breach' ? 'reached' : `at ${c.thresholdPct}% of its limit`}: ${current.toFixed()} of ${c.rule.value.toFixed()} (${c.subject.scope} ${c.subject.id})`;
      const stored = await this.riskEvents.recordCrossing(
        {
          scope: c.subject.scope,
          botId: c.subject.botId,
          userId: c.subject.userId,
          limitId: c.rule.id,
          riskType: c.rule.limitType,
          currentValue: current.toFixed(),
          limitValue: c.rule.value.toFixed(),
          thresholdPct: String(c.thresholdPct),
          severity: c.severity,
          actionTaken: c.severity === 'breach' ? effect.taken : 'warning_recorded',
          message,
          crossingKey: c.key,
        },
        m,
      );
      if (!stored || c.severity === 'warning') continue; // not stored: another instance reported it first
      const state = mostRestrictive([this.holder.book.stateOf(c.subject.scope, c.subject.id), effect.state]);
      await this.states.set({ scope: c.subject.scope, scopeId: c.subject.id, state, reason: message.slice(0, 500), changedBy: SOURCE }, m);
      stateChanges.push({ scope: c.subject.scope, scopeId: c.subject.id, state });
      const payload: RiskLimitBreached.Payload = {
        breachId: stored.id,
        scope: c.subject.scope,
        scopeId: c.subject.id,
        userId: c.subject.userId,
        limitType: CONTRACT_LIMIT_TYPE[c.rule.limitType],
        current: current.toFixed(),
        limit: c.rule.value.toFixed(),
        action: effect.action,
        state,
        message: message.slice(0, 500),
        breachedAt: new Date().toISOString(),
      };
      breaches.push(parent ? createFollowUpEvent(RiskLimitBreached.TYPE, payload, parent, SOURCE) : createEvent(RiskLimitBreached.TYPE, payload, { source: SOURCE }));
    }
    if (breaches.length > 0) await this.outbox.add(m, Streams.Risk, breaches);
    return { keys: crossings.map((c) => c.key), stateChanges, breaches: breaches.length };
  }

  private applied(result: AppliedCrossings): void {
    for (const key of result.keys) this.holder.crossings.add(key);
    if (result.stateChanges.length > 0) {
      this.sync.applyCommitted(() => {
        for (const s of result.stateChanges) this.holder.book.setState(s.scope, s.scopeId, s.state);
      });
    }
    if (result.breaches > 0) this.logger.warn({ breaches: result.breaches, states: result.stateChanges }, 'risk limit breached');
  }
}

interface AppliedCrossings {
  readonly keys: string[];
  readonly stateChanges: { scope: RiskScope; scopeId: string | null; state: TradingState }[];
  readonly breaches: number;
}
