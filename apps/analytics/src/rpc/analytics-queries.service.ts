import { Injectable } from '@nestjs/common';
import {
  AnalyticsAuditList,
  AnalyticsDailyList,
  AnalyticsEquityCurveGet,
  AnalyticsPerformanceGet,
  AnalyticsPortfolioGet,
  PerformanceView,
  RpcCaller,
} from '@trading/contracts';
import { RpcDomainError } from '@trading/streams';
import { DataSource, IsNull } from 'typeorm';
import { AuditLogEntity } from '../audit/audit-log.entity';
import { InvalidCursorError, pageByTimeDesc } from '@trading/database';
import { EquityPointRepository } from '../performance/equity-point.repository';
import { PerformanceMetricsEntity } from '../performance/performance-metrics.entity';
import { PortfolioSnapshotRepository } from '../portfolio/portfolio-snapshot.repository';
import { DashboardViewsRepository } from '../read-model/dashboard-views.repository';

function performanceView(m: PerformanceMetricsEntity): PerformanceView {
  return {
    botId: m.botId,
    strategy: m.strategy,
    period: m.period,
    periodStart: m.periodStart,
    periodEnd: m.periodEnd,
    totalTrades: m.totalTrades,
    winningTrades: m.winningTrades,
    losingTrades: m.losingTrades,
    winRate: m.winRate,
    avgWin: m.avgWin,
    avgLoss: m.avgLoss,
    profitFactor: m.profitFactor,
    expectancy: m.expectancy,
    totalPnl: m.totalPnl,
    totalFees: m.totalFees,
    maxDrawdown: m.maxDrawdown,
    sharpeRatio: m.sharpeRatio,
    sortinoRatio: m.sortinoRatio,
    calmarRatio: m.calmarRatio,
    totalReturn: m.totalReturn,
  };
}

/** Read side for the gateway; a bot of another user is answered as not found (admins see every bot). */
@Injectable()
export class AnalyticsQueries {
  constructor(
    private readonly dataSource: DataSource,
    private readonly equity: EquityPointRepository,
    private readonly snapshots: PortfolioSnapshotRepository,
    private readonly views: DashboardViewsRepository,
  ) {}

  /** The bot's owner as analytics knows it (bot events or its trades); throws 404 for anyone else. */
  private async ownerOf(caller: RpcCaller, botId: string): Promise<string> {
    const [row] = (await this.dataSource.query(
      `SELECT COALESCE((SELECT user_id FROM analytics.bot_facts WHERE bot_id = $1), (SELECT user_id FROM analytics.trade_facts WHERE bot_id = $1 LIMIT 1)) AS owner`,
      [botId],
    )) as { owner: string | null }[];
    const owner = row?.owner ?? null;
    if (!owner || (caller.role !== 'admin' && owner !== caller.userId)) throw new RpcDomainError(404, 'BOT_NOT_FOUND', `bot ${botId} not found`);
    return owner;
  }

  async performance(request: AnalyticsPerformanceGet.Request): Promise<AnalyticsPerformanceGet.Response> {
    const userId = request.botId ? await this.ownerOf(request.caller, request.botId) : request.caller.userId;
    const repo = this.dataSource.getRepository(PerformanceMetricsEntity);
    const where = { userId, botId: request.botId ?? IsNull(), strategy: IsNull() };
    const overall = await repo.findOne({ where: { ...where, period: 'overall' } });
    const daily = await repo.find({ where: { ...where, period: 'day' }, order: { periodStart: 'DESC' }, take: request.days ?? 30 });
    return { overall: overall ? performanceView(overall) : null, daily: daily.map(performanceView) };
  }

  async equityCurve(request: AnalyticsEquityCurveGet.Request): Promise<AnalyticsEquityCurveGet.Response> {
    await this.ownerOf(request.caller, request.botId);
    const points = await this.equity.curve(request.botId, new Date(request.from ?? 0), request.to ? new Date(request.to) : new Date('9999-12-31T00:00:00Z'));
    return { points: points.map((p) => ({ time: p.time.toISOString(), equity: p.equity })) };
  }

  async portfolio(request: AnalyticsPortfolioGet.Request): Promise<AnalyticsPortfolioGet.Response> {
    const s = await this.snapshots.latest(request.caller.userId);
    const positions = await this.views.activePositions(request.caller.userId);
    return {
      snapshot: s
        ? {
            timestamp: s.timestamp.toISOString(),
            totalEquity: s.totalEquity,
            totalBalance: s.totalBalance,
            totalUnrealizedPnl: s.totalUnrealizedPnl,
            totalRealizedPnl: s.totalRealizedPnl,
            totalPnlPercent: s.totalPnlPercent,
            activeBots: s.activeBots,
            botsInTrade: s.botsInTrade,
            totalOpenPositions: s.totalOpenPositions,
            dailyPnl: s.dailyPnl,
            weeklyPnl: s.weeklyPnl,
            monthlyPnl: s.monthlyPnl,
          }
        : null,
      positions: positions.map((p) => ({ ...p, openedAt: new Date(p.openedAt).toISOString() })).map(({ userId: _userId, ...rest }) => rest),
    };
  }

  async daily(request: AnalyticsDailyList.Request): Promise<AnalyticsDailyList.Response> {
    await this.ownerOf(request.caller, request.botId);
    return { days: await this.views.dailyPerformance(request.botId, request.from, request.to) };
  }

  async audit(request: AnalyticsAuditList.Request): Promise<AnalyticsAuditList.Response> {
    if (request.caller.role !== 'admin') throw new RpcDomainError(403, 'FORBIDDEN', 'the audit log is for admins');
    const qb = this.dataSource.getRepository(AuditLogEntity).createQueryBuilder('a');
    if (request.userId) qb.where('a.userId = :userId', { userId: request.userId });
    try {
      const page = await pageByTimeDesc(qb, 'createdAt', { limit: request.limit, cursor: request.cursor });
      return {
        items: page.items.map((a) => ({
          id: a.id,
          userId: a.userId,
          actorUserId: a.actorUserId,
          action: a.action,
          resourceType: a.resourceType,
          resourceId: a.resourceId,
          newValues: a.newValues,
          ipAddress: a.ipAddress,
          createdAt: a.createdAt.toISOString(),
        })),
        nextCursor: page.nextCursor,
      };
    } catch (error) {
      if (error instanceof InvalidCursorError) throw new RpcDomainError(400, 'INVALID_CURSOR', error.message);
      throw error;
    }
  }
}
