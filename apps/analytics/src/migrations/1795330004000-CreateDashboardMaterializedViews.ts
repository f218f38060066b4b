import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The alpha catalogue's three materialized views, rebuilt over analytics' own read model instead of
 * trading.positions/trades/bots (no view crosses a service's schema; audit belongs to analytics too).
 * Differences from the seed, and why:
 * - active_positions_summary: bot positions only (manual positions have no bot to summarise), keyed by
 *   (bot_id, exchange, symbol) since a position is unique per exchange; position_value is in the quote currency
 *   (the seed's position_value_usd assumed USD quotes). Stop loss / take profit are not carried by
 *   PositionChanged and are left out.
 * - daily_performance_summary: trade_facts are fills with the P&L they realised, so wins/losses count fills
 *   that closed with a profit/loss; the day is the UTC day; win_rate is exact NUMERIC, not FLOAT.
 * - system_health_dashboard: one row built from sub-selects (the seed's FROM trading.bots returned no row when
 *   there were no bots); active bots are 'running' bots; unresolved risk events come from risk_event_facts.
 *   There is no order read model yet, so the seed's active_orders column is not included.
 * Each view has a unique index so REFRESH MATERIALIZED VIEW CONCURRENTLY works.
 */
export class CreateDashboardMaterializedViews1795330004000 implements MigrationInterface {
  name = 'CreateDashboardMaterializedViews1795330004000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE MATERIALIZED VIEW analytics.active_positions_summary AS
      SELECT
        p.bot_id,
        b.name AS bot_name,
        p.user_id,
        p.exchange,
        p.symbol,
        p.side,
        p.size,
        p.avg_entry_price,
        p.current_price,
        p.unrealized_pnl,
        p.unrealized_pnl_pct,
        p.leverage,
        p.size * COALESCE(p.current_price, p.avg_entry_price) AS position_value,
        p.opened_at,
        EXTRACT(EPOCH FROM (now() - p.opened_at)) / 3600 AS hours_held,
        b.strategy
      FROM analytics.position_facts p
      LEFT JOIN analytics.bot_facts b ON b.bot_id = p.bot_id
      WHERE p.status = 'open' AND p.bot_id IS NOT NULL`);
    await q.query(
      `CREATE UNIQUE INDEX idx_active_pos_summary_id ON analytics.active_positions_summary (bot_id, exchange, symbol)`,
    );
    await q.query(`CREATE INDEX idx_active_pos_summary_bot ON analytics.active_positions_summary (bot_id)`);

    await q.query(`
      CREATE MATERIALIZED VIEW analytics.daily_performance_summary AS
      SELECT
        (t.executed_at AT TIME ZONE 'UTC')::date AS trade_date,
        t.bot_id,
        b.name AS bot_name,
        b.strategy AS strategy_name,
        COUNT(*) AS total_trades,
        COUNT(*) FILTER (WHERE t.realized_pnl > 0) AS winning_trades,
        COUNT(*) FILTER (WHERE t.realized_pnl < 0) AS losing_trades,
        SUM(t.realized_pnl) AS total_pnl,
        AVG(t.realized_pnl) FILTER (WHERE t.realized_pnl <> 0) AS avg_pnl,
        MAX(t.realized_pnl) FILTER (WHERE t.realized_pnl > 0) AS max_win,
        MIN(t.realized_pnl) FILTER (WHERE t.realized_pnl < 0) AS max_loss,
        SUM(t.fee) AS total_fees,
        SUM(t.price * t.quantity) AS traded_volume,
        ROUND(COUNT(*) FILTER (WHERE t.realized_pnl > 0)::numeric / NULLIF(COUNT(*) FILTER (WHERE t.realized_pnl <> 0), 0), 4) AS win_rate
      FROM analytics.trade_facts t
      LEFT JOIN analytics.bot_facts b ON b.bot_id = t.bot_id
      WHERE t.bot_id IS NOT NULL
      GROUP BY (t.executed_at AT TIME ZONE 'UTC')::date, t.bot_id, b.name, b.strategy`);
    await q.query(
      `CREATE UNIQUE INDEX idx_daily_perf_summary ON analytics.daily_performance_summary (trade_date, bot_id)`,
    );

    await q.query(`
      CREATE MATERIALIZED VIEW analytics.system_health_dashboard AS
      SELECT
        now() AS snapshot_time,
        (SELECT COUNT(*) FROM analytics.bot_facts WHERE status = 'running') AS active_bots,
        (SELECT COUNT(*) FROM analytics.bot_facts WHERE status = 'paused') AS paused_bots,
        (SELECT COUNT(*) FROM analytics.bot_facts WHERE status = 'stopped') AS stopped_bots,
        (SELECT COUNT(*) FROM analytics.bot_facts WHERE status IN ('halted', 'error')) AS failed_bots,
        (SELECT COUNT(*) FROM analytics.position_facts WHERE status = 'open') AS total_open_positions,
        (SELECT COALESCE(SUM(realized_pnl), 0) FROM analytics.trade_facts
          WHERE executed_at >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') AS today_pnl,
        (SELECT COUNT(*) FROM analytics.trade_facts
          WHERE executed_at >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') AS today_trades,
        (SELECT COUNT(*) FROM audit.system_events
          WHERE event_level IN ('ERROR', 'CRITICAL') AND event_time > now() - INTERVAL '1 hour') AS errors_last_hour,
        (SELECT SUM(current_equity) FROM analytics.bot_facts WHERE status = 'running') AS total_portfolio_equity,
        (SELECT COUNT(*) FROM analytics.risk_event_facts
          WHERE breached_at > now() - INTERVAL '24 hours' AND NOT resolved) AS unresolved_risk_events`);
    await q.query(`CREATE UNIQUE INDEX idx_system_health ON analytics.system_health_dashboard (snapshot_time)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP MATERIALIZED VIEW analytics.system_health_dashboard`);
    await q.query(`DROP MATERIALIZED VIEW analytics.daily_performance_summary`);
    await q.query(`DROP MATERIALIZED VIEW analytics.active_positions_summary`);
  }
}
