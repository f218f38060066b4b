import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export const DASHBOARD_VIEWS = [
  'analytics.active_positions_summary',
  'analytics.daily_performance_summary',
  'analytics.system_health_dashboard',
] as const;

/** Numeric columns are decimal strings, counts are numbers. */
export interface ActivePositionRow {
  botId: string;
  botName: string | null;
  userId: string;
  exchange: string;
  symbol: string;
  side: 'long' | 'short';
  size: string;
  avgEntryPrice: string;
  currentPrice: string | null;
  unrealizedPnl: string;
  positionValue: string;
  openedAt: Date;
  strategy: string | null;
}

export interface DailyPerformanceRow {
  tradeDate: string;
  botId: string;
  botName: string | null;
  strategyName: string | null;
  totalTrades: number;
  winningTrades: number;
  losingTrades: number;
  totalPnl: string;
  totalFees: string;
  tradedVolume: string;
  winRate: string | null;
}

export interface SystemHealthRow {
  snapshotTime: Date;
  activeBots: number;
  pausedBots: number;
  stoppedBots: number;
  failedBots: number;
  totalOpenPositions: number;
  todayPnl: string;
  todayTrades: number;
  errorsLastHour: number;
  totalPortfolioEquity: string | null;
  unresolvedRiskEvents: number;
}

/** The seeds' materialized views: refreshed concurrently (readers are never blocked) and read with raw SQL. */
@Injectable()
export class DashboardViewsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async refreshMaterializedViews(): Promise<void> {
    for (const view of DASHBOARD_VIEWS) await this.dataSource.query(`REFRESH MATERIALIZED VIEW CONCURRENTLY ${view}`);
  }

  activePositions(userId?: string): Promise<ActivePositionRow[]> {
    return this.dataSource.query(
      `SELECT bot_id AS "botId", bot_name AS "botName", user_id AS "userId", exchange, symbol, side, size::text AS size,
              avg_entry_price::text AS "avgEntryPrice", current_price::text AS "currentPrice", unrealized_pnl::text AS "unrealizedPnl",
              position_value::text AS "positionValue", opened_at AS "openedAt", strategy
         FROM analytics.active_positions_summary
        WHERE $1::uuid IS NULL OR user_id = $1
        ORDER BY opened_at DESC, bot_id, exchange, symbol`,
      [userId ?? null],
    );
  }

  /** Days from..to inclusive (YYYY-MM-DD, UTC), newest first. */
  dailyPerformance(botId: string, from: string, to: string): Promise<DailyPerformanceRow[]> {
    return this.dataSource.query(
      `SELECT to_char(trade_date, 'YYYY-MM-DD') AS "tradeDate", bot_id AS "botId", bot_name AS "botName", strategy_name AS "strategyName",
              total_trades::int AS "totalTrades", winning_trades::int AS "winningTrades", losing_trades::int AS "losingTrades",
              total_pnl::text AS "totalPnl", total_fees::text AS "totalFees", traded_volume::text AS "tradedVolume", win_rate::text AS "winRate"
         FROM analytics.daily_performance_summary
        WHERE bot_id = $1 AND trade_date BETWEEN $2::date AND $3::date
        ORDER BY trade_date DESC`,
      [botId, from, to],
    );
  }

  async systemHealth(): Promise<SystemHealthRow> {
    const rows: SystemHealthRow[] = await this.dataSource.query(
      `SELECT snapshot_time AS "snapshotTime", active_bots::int AS "activeBots", paused_bots::int AS "pausedBots",
              stopped_bots::int AS "stoppedBots", failed_bots::int AS "failedBots", total_open_positions::int AS "totalOpenPositions",
              today_pnl::text AS "todayPnl", today_trades::int AS "todayTrades", errors_last_hour::int AS "errorsLastHour",
              total_portfolio_equity::text AS "totalPortfolioEquity", unresolved_risk_events::int AS "unresolvedRiskEvents"
         FROM analytics.system_health_dashboard`,
    );
    const [row] = rows;
    if (!row) throw new Error('analytics.system_health_dashboard has no row');
    return row;
  }
}
