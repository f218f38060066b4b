import { Inject, Injectable } from '@nestjs/common';
import { AuditRecorded, BotStatusChanged, OrderRejected, PositionChanged, RiskLimitBreached, SignalEmitted, TradeExecuted } from '@trading/contracts';
import { runIdempotent } from '@trading/streams';
import Decimal from 'decimal.js';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { AuditLogRepository } from '../audit/audit-log.repository';
import { SystemEventRepository } from '../audit/system-event.repository';
import { JsonObject } from '../database/json-value';
import { DailyPerformanceRepository } from '../performance/daily-performance.repository';
import { EquityPointRepository } from '../performance/equity-point.repository';
import { PortfolioSnapshotRepository } from '../portfolio/portfolio-snapshot.repository';
import { BotFactRepository } from '../read-model/bot-fact.repository';
import { PositionFactEntity } from '../read-model/position-fact.entity';
import { PositionFactRepository } from '../read-model/position-fact.repository';
import { RiskEventFactRepository } from '../read-model/risk-event-fact.repository';
import { TradeFactRepository } from '../read-model/trade-fact.repository';
import { BotPortfolioPoint, MetricsSink } from './metrics-sink';
import { PerformanceUpdater } from './performance-updater';
import { ViewRefresher } from './view-refresher';

const GROUP = 'analytics';
const utcDay = (d: Date) => d.toISOString().slice(0, 10);

export const ANALYTICS_SETTINGS = Symbol('ANALYTICS_SETTINGS');

export interface ProjectorSettings {
  readonly defaultStartingEquity: Decimal;
}

/**
 * Turns consumed events into analytics' read model, metrics and audit records. Each event is applied once
 * (runIdempotent: its id is recorded in analytics.processed_events in the same transaction); side effects outside
 * PostgreSQL (view refresh, InfluxDB points) run after the commit and only for a first delivery.
 */
@Injectable()
export class AnalyticsProjector {
  private readonly knownStrategies = new Map<string, string>();

  constructor(
    private readonly dataSource: DataSource,
    @Inject(ANALYTICS_SETTINGS) private readonly settings: ProjectorSettings,
    private readonly trades: TradeFactRepository,
    private readonly positions: PositionFactRepository,
    private readonly bots: BotFactRepository,
    private readonly riskFacts: RiskEventFactRepository,
    private readonly daily: DailyPerformanceRepository,
    private readonly equity: EquityPointRepository,
    private readonly snapshots: PortfolioSnapshotRepository,
    private readonly auditLogs: AuditLogRepository,
    private readonly systemEvents: SystemEventRepository,
    private readonly performance: PerformanceUpdater,
    private readonly views: ViewRefresher,
    private readonly sink: MetricsSink,
  ) {}

  async onTradeExecuted(event: TradeExecuted.Event): Promise<boolean> {
    const p = event.payload;
    const at = new Date(p.executedAt);
    const outcome = await runIdempotent(this.dataSource, { schema: 'analytics', consumerGroup: GROUP, eventId: event.id }, async (m) => {
      const strategy = p.botId ? ((await this.bots.find(p.botId, m))?.strategy ?? null) : null;
      await this.trades.record(
        {
          tradeId: p.tradeId,
          orderId: p.orderId,
          botId: p.botId,
          userId: p.userId,
          strategy,
          exchange: p.exchange,
          symbol: p.symbol,
          mode: p.mode,
          side: p.side,
          price: p.price,
          quantity: p.quantity,
          fee: p.fee,
          feeCurrency: p.feeCurrency,
          realizedPnl: p.realizedPnl,
          executedAt: at,
        },
        m,
      );
      const day = utcDay(at);
      const defaultCapital = this.settings.defaultStartingEquity;
      await this.performance.update({ kind: 'user', userId: p.userId }, day, defaultCapital, m);
      if (strategy) await this.performance.update({ kind: 'strategy', userId: p.userId, strategy }, day, defaultCapital, m);
      if (!p.botId) return null;
      await this.daily.addTrade({ botId: p.botId, userId: p.userId, date: day, realizedPnl: p.realizedPnl, fee: p.fee }, m);
      const figures = await this.performance.update({ kind: 'bot', userId: p.userId, botId: p.botId }, day, defaultCapital, m);
      return this.markBot(p.botId, p.userId, at, m, { winRate: figures.winRate, tradeCount: figures.totalTrades });
    });
    return this.afterCommit(outcome);
  }

  async onPositionChanged(event: PositionChanged.Event): Promise<boolean> {
    const p = event.payload;
    const at = new Date(p.changedAt);
    const outcome = await runIdempotent(this.dataSource, { schema: 'analytics', consumerGroup: GROUP, eventId: event.id }, async (m) => {
      const key = { userId: p.userId, botId: p.botId, exchange: p.exchange, symbol: p.symbol };
      const previous = await m.getRepository(PositionFactEntity).findOneBy({ ...key, botId: p.botId ?? IsNull() });
      const flat = p.side === 'flat' || new Decimal(p.quantity).isZero();
      if (flat && !previous) return null; // never open as far as we know: nothing to close
      await this.positions.apply(
        {
          ...key,
          mode: p.mode,
          side: flat && previous ? previous.side : (p.side as 'long' | 'short'),
          size: flat && previous ? previous.size : p.quantity,
          avgEntryPrice: flat && previous ? previous.avgEntryPrice : (p.avgEntryPrice ?? previous?.avgEntryPrice ?? p.markPrice ?? '0'),
          currentPrice: p.markPrice,
          unrealizedPnl: flat ? '0' : p.unrealizedPnl,
          realizedPnl: p.realizedPnl,
          status: flat ? 'closed' : 'open',
          lastTradeId: p.tradeId,
          changedAt: at,
        },
        m,
      );
      if (!p.botId) return null;
      return this.markBot(p.botId, p.userId, at, m, null);
    });
    return this.afterCommit(outcome);
  }

  async onBotStatusChanged(event: BotStatusChanged.Event): Promise<void> {
    const p = event.payload;
    const outcome = await runIdempotent(this.dataSource, { schema: 'analytics', consumerGroup: GROUP, eventId: event.id }, (m) =>
      this.bots.applyStatus({ botId: p.botId, userId: p.userId, status: p.status, mode: p.mode, changedAt: new Date(p.changedAt), initialCapital: p.initialCapital ?? null }, m),
    );
    if (!outcome.duplicate) this.views.schedule();
  }

  /** Signals name the bot's strategy (no bot event does): kept on bot_facts so trades are attributed to it. */
  async onSignalEmitted(event: SignalEmitted.Event): Promise<void> {
    const p = event.payload;
    if (this.knownStrategies.get(p.botId) === p.strategy) return;
    await this.dataSource.transaction(async (m) => {
      await this.bots.applyStatus({ botId: p.botId, userId: p.userId, status: 'running', mode: null, changedAt: new Date(0) }, m);
      await this.bots.updateProfile(p.botId, { strategy: p.strategy.slice(0, 50) }, m);
    });
    this.knownStrategies.set(p.botId, p.strategy);
  }

  async onRiskLimitBreached(event: RiskLimitBreached.Event): Promise<void> {
    const p = event.payload;
    const outcome = await runIdempotent(this.dataSource, { schema: 'analytics', consumerGroup: GROUP, eventId: event.id }, async (m) => {
      await this.riskFacts.record(
        { id: p.breachId, scope: p.scope, scopeId: p.scopeId, userId: p.userId, limitType: p.limitType, action: p.action, currentValue: p.current, limitValue: p.limit, message: p.message, breachedAt: new Date(p.breachedAt) },
        m,
      );
      await this.systemEvents.record(
        {
          eventId: event.id,
          eventTime: new Date(p.breachedAt),
          eventType: 'RISK_BREACH',
          eventLevel: p.state === 'HALTED' ? 'CRITICAL' : 'WARNING',
          botId: p.scope === 'bot' ? p.scopeId : null,
          component: event.source.slice(0, 50),
          message: p.message || `${p.limitType} ${p.action}`,
          details: { scope: p.scope, scopeId: p.scopeId, limitType: p.limitType, current: p.current, limit: p.limit, action: p.action, state: p.state },
        },
        m,
      );
    });
    if (!outcome.duplicate) this.views.schedule();
  }

  async onOrderRejected(event: OrderRejected.Event): Promise<void> {
    const p = event.payload;
    await this.systemEvents.record({
      eventId: event.id,
      eventTime: new Date(p.rejectedAt),
      eventType: 'ORDER',
      eventLevel: 'WARNING',
      botId: p.botId,
      component: event.source.slice(0, 50),
      message: `order rejected by ${p.rejectedBy}: ${p.reasons.join(', ')}`,
      details: { orderId: p.orderId, clientOrderId: p.clientOrderId, side: p.side, quantity: p.quantity, price: p.price, reasons: p.reasons, message: p.message },
      symbol: p.symbol,
      orderId: p.orderId,
    });
  }

  /** market.data_gap (and other system.* actions) become system events; user actions become audit log entries. */
  async onAuditRecorded(event: AuditRecorded.Event): Promise<void> {
    const p = event.payload;
    const at = new Date(p.recordedAt);
    const details = JSON.parse(JSON.stringify(p.details)) as JsonObject;
    if (p.action === 'market.data_gap' || p.action.startsWith('system.')) {
      const symbol = typeof p.details.symbol === 'string' ? p.details.symbol.slice(0, 30) : null;
      await this.systemEvents.record({
        eventId: event.id,
        eventTime: at,
        eventType: p.action === 'market.data_gap' ? 'DATA_GAP' : p.outcome === 'failure' ? 'ERROR' : 'INFO',
        eventLevel: p.outcome === 'failure' ? 'WARNING' : 'INFO',
        component: event.source.slice(0, 50),
        message: `${p.action} ${p.resourceType}${p.resourceId ? ` ${p.resourceId}` : ''}`,
        details: { ...details, action: p.action, resourceType: p.resourceType, resourceId: p.resourceId, outcome: p.outcome },
        symbol,
      });
      return;
    }
    await this.auditLogs.record({
      eventId: event.id,
      userId: p.resourceType === 'user' && p.resourceId && /^[0-9a-f-]{36}$/i.test(p.resourceId) ? p.resourceId : p.actorUserId,
      actorUserId: p.actorUserId,
      action: p.action.slice(0, 50),
      resourceType: p.resourceType.slice(0, 50),
      resourceId: p.resourceId?.slice(0, 100) ?? null,
      newValues: { ...details, outcome: p.outcome },
      ipAddress: p.ip,
      userAgent: p.userAgent,
      requestId: event.correlationId,
      createdAt: at,
    });
  }

  /**
   * The bot's equity now (capital + realized P&L + unrealized P&L of its open positions): an equity point, a bot
   * and a user portfolio snapshot, and what goes to InfluxDB after the commit.
   */
  private async markBot(botId: string, userId: string, at: Date, m: EntityManager, perf: { winRate: Decimal | null; tradeCount: number } | null): Promise<BotPortfolioPoint> {
    const [found] = (await m.query(
      `SELECT (SELECT initial_capital::text FROM analytics.bot_facts WHERE bot_id = $1) AS capital,
              (SELECT COALESCE(SUM(realized_pnl), 0)::text FROM analytics.trade_facts WHERE bot_id = $1) AS realized,
              (SELECT COALESCE(SUM(unrealized_pnl), 0)::text FROM analytics.position_facts WHERE bot_id = $1 AND status = 'open') AS unrealized,
              (SELECT count(*)::int FROM analytics.position_facts WHERE bot_id = $1 AND status = 'open') AS open_positions,
              (SELECT count(*)::int FROM analytics.trade_facts WHERE bot_id = $1) AS trades,
              (SELECT MAX(equity)::text FROM analytics.equity_points WHERE bot_id = $1) AS peak`,
      [botId],
    )) as { capital: string | null; realized: string; unrealized: string; open_positions: number; trades: number; peak: string | null }[];
    const row = found ?? { capital: null, realized: '0', unrealized: '0', open_positions: 0, trades: 0, peak: null };
    // The bot's own capital (from its bot events), else the default.
    const start = row.capital === null ? this.settings.defaultStartingEquity : new Decimal(row.capital);
    const realized = new Decimal(row.realized);
    const unrealized = new Decimal(row.unrealized);
    const equity = start.plus(realized).plus(unrealized);
    await this.equity.record(botId, at, equity.toFixed(8), m);
    const peak = Decimal.max(start, equity, row.peak ? new Decimal(row.peak) : start);
    const drawdown = peak.gt(0) ? peak.minus(equity).div(peak).times(100) : new Decimal(0);
    await this.snapshots.record(
      {
        userId,
        botId,
        timestamp: at,
        totalEquity: equity.toFixed(8),
        totalBalance: start.plus(realized).toFixed(8),
        totalUnrealizedPnl: unrealized.toFixed(8),
        totalRealizedPnl: realized.toFixed(8),
        totalPnlPercent: start.gt(0) ? realized.plus(unrealized).div(start).times(100).toDecimalPlaces(4).toFixed(4) : null,
        totalOpenPositions: row.open_positions,
        botsInTrade: row.open_positions > 0 ? 1 : 0,
        activeBots: 1,
      },
      m,
    );
    await this.snapshotUser(userId, at, m);
    return {
      botId,
      equity: equity.toNumber(),
      pnl: realized.plus(unrealized).toNumber(),
      drawdown: drawdown.toDecimalPlaces(6).toNumber(),
      positionsCount: row.open_positions,
      winRate: perf?.winRate ? perf.winRate.toNumber() : null,
      tradeCount: perf?.tradeCount ?? row.trades,
      at,
    };
  }

  /** The user's whole portfolio (bot_id NULL) at `at`, summed over their bots. */
  private async snapshotUser(userId: string, at: Date, m: EntityManager): Promise<void> {
    const [found] = (await m.query(
      `SELECT (SELECT count(DISTINCT bot_id)::int FROM analytics.trade_facts WHERE user_id = $1 AND bot_id IS NOT NULL) AS bots,
              (SELECT COALESCE(SUM(COALESCE(f.initial_capital, $3::numeric)), 0)::text
                 FROM (SELECT DISTINCT bot_id FROM analytics.trade_facts WHERE user_id = $1 AND bot_id IS NOT NULL) t
                 LEFT JOIN analytics.bot_facts f USING (bot_id)) AS capital,
              (SELECT COALESCE(SUM(realized_pnl), 0)::text FROM analytics.trade_facts WHERE user_id = $1) AS realized,
              (SELECT COALESCE(SUM(unrealized_pnl), 0)::text FROM analytics.position_facts WHERE user_id = $1 AND status = 'open') AS unrealized,
              (SELECT count(*)::int FROM analytics.position_facts WHERE user_id = $1 AND status = 'open') AS open_positions,
              (SELECT count(DISTINCT bot_id)::int FROM analytics.position_facts WHERE user_id = $1 AND status = 'open') AS bots_in_trade,
              (SELECT COALESCE(SUM(realized_pnl), 0)::text FROM analytics.trade_facts WHERE user_id = $1 AND executed_at >= $2::timestamptz - interval '1 day') AS daily,
              (SELECT COALESCE(SUM(realized_pnl), 0)::text FROM analytics.trade_facts WHERE user_id = $1 AND executed_at >= $2::timestamptz - interval '7 days') AS weekly,
              (SELECT COALESCE(SUM(realized_pnl), 0)::text FROM analytics.trade_facts WHERE user_id = $1 AND executed_at >= $2::timestamptz - interval '30 days') AS monthly`,
      [userId, at, this.settings.defaultStartingEquity.toFixed()],
    )) as { bots: number; capital: string; realized: string; unrealized: string; open_positions: number; bots_in_trade: number; daily: string; weekly: string; monthly: string }[];
    if (!found) throw new Error('the portfolio query returned no row');
    const row = found;
    // The sum of the capitals of the user's bots (each its own, else the default); the default before any bot traded.
    const start = row.bots > 0 ? new Decimal(row.capital) : this.settings.defaultStartingEquity;
    const realized = new Decimal(row.realized);
    const unrealized = new Decimal(row.unrealized);
    await m.query(`DELETE FROM analytics.portfolio_snapshots WHERE user_id = $1 AND bot_id IS NULL AND "timestamp" = $2`, [userId, at]);
    await this.snapshots.record(
      {
        userId,
        botId: null,
        timestamp: at,
        totalEquity: start.plus(realized).plus(unrealized).toFixed(8),
        totalBalance: start.plus(realized).toFixed(8),
        totalUnrealizedPnl: unrealized.toFixed(8),
        totalRealizedPnl: realized.toFixed(8),
        totalPnlPercent: realized.plus(unrealized).div(start).times(100).toDecimalPlaces(4).toFixed(4),
        activeBots: row.bots,
        botsInTrade: row.bots_in_trade,
        totalOpenPositions: row.open_positions,
        dailyPnl: row.daily,
        weeklyPnl: row.weekly,
        monthlyPnl: row.monthly,
      },
      m,
    );
  }

  private afterCommit(outcome: { duplicate: true } | { duplicate: false; result: BotPortfolioPoint | null }): boolean {
    if (outcome.duplicate) return false;
    this.views.schedule();
    if (outcome.result) this.sink.bot(outcome.result);
    return true;
  }
}
