import { Injectable, Logger } from '@nestjs/common';
import { PositionChanged, RiskLimitBreached, Streams, TradeExecuted, TradingState, createEvent, createFollowUpEvent } from '@trading/contracts';
import { OutboxWriter, runIdempotent } from '@trading/streams';
import Decimal from 'decimal.js';
import { DataSource, EntityManager } from 'typeorm';
import { BotAccountRepository } from '../accounts/bot-account.repository';
import { BotAccount, applyMark, applyPosition, applyTrade, positionKey } from '../book/bot-account';
import { LimitCrossing, limitCrossings } from '../book/breach-monitor';
import { RiskBookHolder } from '../book/risk-book.provider';
import { mostRestrictive } from '../book/risk-book';
import type { BreachAction, LimitType, RiskScope } from '../limits/risk-limit.entity';
import { RiskEventRepository } from '../risk-events/risk-event.repository';
import { RiskMetricsRepository } from '../risk-metrics/risk-metrics.repository';
import { dailyRiskMetrics } from '../book/daily-risk-metrics';
import { TradingStateRepository } from '../trading-state/trading-state.repository';

type TradesEvent = TradeExecuted.Event | PositionChanged.Event;
type Parent = { id: string; correlationId: string };

/** The contract's limit vocabulary is coarser than risk_limits'; the exact limit travels in the message. */
const CONTRACT_LIMIT_TYPE: Record<LimitType, RiskLimitBreached.RiskLimitType> = {
  max_position_size: 'MAX_POSITION_SIZE',
  max_position_pct: 'MAX_POSITION_VALUE',
  max_open_positions: 'MAX_POSITION_SIZE',
  max_exposure: 'MAX_EXPOSURE',
  max_leverage: 'MAX_EXPOSURE',
  max_daily_loss_pct: 'MAX_DAILY_LOSS',
  max_weekly_loss_pct: 'MAX_DAILY_LOSS',
  max_drawdown_pct: 'MAX_DRAWDOWN',
  max_trades_per_day: 'MAX_ORDER_RATE',
  daily_profit_target_pct: 'MAX_DAILY_LOSS',
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
 * Keeps the book current from events:trades and market marks, and turns limit crossings into risk_events
 * (warnings at the limit's warning levels, breaches at the limit), trading-state changes and RiskLimitBreached
 * events (outbox), all in the transaction of the event that caused them.
 */
@Injectable()
export class RiskMonitor {
  private readonly logger = new Logger(RiskMonitor.name);
  private readonly outbox = new OutboxWriter({ schema: 'risk' });
  /** Crossings already recorded (per limit, subject and period), so each is reported once. */
  private readonly reported = new Set<string>();

  constructor(
    private readonly holder: RiskBookHolder,
    private readonly dataSource: DataSource,
    private readonly accounts: BotAccountRepository,
    private readonly riskEvents: RiskEventRepository,
    private readonly states: TradingStateRepository,
    private readonly riskMetrics: RiskMetricsRepository,
  ) {}

  async onTradesEvent(event: TradesEvent): Promise<void> {
    const p = event.payload;
    if (!p.botId) return; // a manual trade belongs to no bot account
    const book = this.holder.book;
    const at = new Date(event.type === TradeExecuted.TYPE ? event.payload.executedAt : event.payload.changedAt);
    const before = book.account(p.botId);
    const current = before ?? book.accountOrNew(p.botId, p.userId, at);
    const next = event.type === TradeExecuted.TYPE ? applyTrade(current, { realizedPnl: new Decimal(event.payload.realizedPnl), executedAt: at }) : applyPosition(current, this.positionFact(event.payload));
    if (event.type === PositionChanged.TYPE && event.payload.markPrice) {
      this.holder.marks.set(positionKey(event.payload.exchange, event.payload.symbol), new Decimal(event.payload.markPrice));
    }
    book.putAccount(next);
    const crossings = this.fresh(limitCrossings(book, p.botId, new Date(Math.max(at.getTime(), Date.now()))));
    try {
      const outcome = await runIdempotent(this.dataSource, { schema: 'risk', consumerGroup: 'risk', eventId: event.id }, async (m) => {
        await this.accounts.save(next, m);
        const stored = await this.riskMetrics.find(next.botId, next.day, m);
        await this.riskMetrics.upsertDaily(dailyRiskMetrics(next, stored ? new Decimal(stored.maxDrawdownPct) : null), m);
        return this.record(crossings, m, event);
      });
      if (outcome.duplicate) this.restore(p.botId, before);
      else this.applied(outcome.result);
    } catch (error) {
      this.restore(p.botId, before);
      throw error;
    }
  }

  /** A bot seen in a bot event: its owner is known before its first trade (ownership checks of the limits RPC). */
  async onBotSeen(botId: string, userId: string, at: Date): Promise<void> {
    const book = this.holder.book;
    if (book.account(botId)) return;
    const account = book.accountOrNew(botId, userId, at);
    await this.dataSource.transaction((m) => this.accounts.save(account, m));
    book.putAccount(account);
  }

  /** A new market price re-marks every position on the symbol; limits are checked, nothing else is written. */
  async onMark(exchange: string, symbol: string, price: Decimal, at: Date): Promise<void> {
    this.holder.marks.set(positionKey(exchange, symbol), price);
    const book = this.holder.book;
    const key = positionKey(exchange, symbol);
    for (const account of [...book.allAccounts()]) {
      if (!account.positions.has(key)) continue;
      const next = applyMark(account, exchange, symbol, price, at);
      book.putAccount(next);
      const crossings = this.fresh(limitCrossings(book, account.botId, new Date(Math.max(at.getTime(), Date.now()))));
      if (crossings.length === 0) continue;
      const changes = await this.dataSource.transaction(async (m) => {
        await this.accounts.save(next, m);
        return this.record(crossings, m, null);
      });
      this.applied(changes);
    }
  }

  /** Forgets reported crossings of a scope set back to ACTIVE, so a renewed breach halts it again. */
  forgetCrossings(scope: RiskScope, scopeId: string | null): void {
    const marker = scope === 'global' ? '' : `:${scope}:${scopeId}:`;
    for (const key of [...this.reported]) if (key.includes(marker)) this.reported.delete(key);
  }

  private positionFact(p: PositionChanged.Payload) {
    return {
      exchange: p.exchange,
      symbol: p.symbol,
      side: p.side,
      quantity: new Decimal(p.quantity),
      avgEntryPrice: p.avgEntryPrice === null ? null : new Decimal(p.avgEntryPrice),
      markPrice: p.markPrice === null ? null : new Decimal(p.markPrice),
      unrealizedPnl: new Decimal(p.unrealizedPnl),
      changedAt: new Date(p.changedAt),
    };
  }

  private restore(botId: string, before: BotAccount | undefined): void {
    if (before) this.holder.book.putAccount(before);
    else this.holder.book.removeAccount(botId);
  }

  /**
   * Crossings not reported yet. A breach whose scope already is in the breach's state or a stricter one (halted by an
   * earlier breach before a restart, or by hand) changes nothing and is not reported again.
   */
  private fresh(crossings: LimitCrossing[]): LimitCrossing[] {
    return crossings.filter((c) => {
      if (this.reported.has(c.key)) return false;
      const current = this.holder.book.stateOf(c.subject.scope, c.subject.id);
      if (c.severity === 'breach' && mostRestrictive([current, ON_BREACH[c.rule.action].state]) === current) {
        this.reported.add(c.key);
        return false;
      }
      return true;
    });
  }

  private async record(crossings: LimitCrossing[], m: EntityManager, parent: Parent | null): Promise<AppliedCrossings> {
    const stateChanges: AppliedCrossings['stateChanges'] = [];
    const breaches: RiskLimitBreached.Event[] = [];
    for (const c of crossings) {
      const effect = ON_BREACH[c.rule.action];
      const current = c.current.toDecimalPlaces(8);
      const message = `${c.rule.limitType} ${c.severity === 'breach' ? 'reached' : `at ${c.thresholdPct}% of its limit`}: ${current.toFixed()} of ${c.rule.value.toFixed()} (${c.subject.scope} ${c.subject.id})`;
      const stored = await this.riskEvents.record(
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
        },
        m,
      );
      if (c.severity === 'warning') continue;
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
    for (const key of result.keys) this.reported.add(key);
    for (const s of result.stateChanges) this.holder.book.setState(s.scope, s.scopeId, s.state);
    if (result.breaches > 0) this.logger.warn({ breaches: result.breaches, states: result.stateChanges }, 'risk limit breached');
  }
}

interface AppliedCrossings {
  readonly keys: string[];
  readonly stateChanges: { scope: RiskScope; scopeId: string | null; state: TradingState }[];
  readonly breaches: number;
}
