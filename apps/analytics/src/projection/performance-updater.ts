import { Injectable } from '@nestjs/common';
import Decimal from 'decimal.js';
import { EntityManager } from 'typeorm';
import { ClosedTrade, PerformanceFigures, performanceFigures } from '../performance/performance-math';
import { PerformanceMetricsRepository } from '../performance/performance-metrics.repository';

/** Whose performance: a bot, a user (all their trades) or a user's strategy (all bots running it). */
export type PerformanceSubject =
  | { readonly kind: 'bot'; readonly userId: string; readonly botId: string }
  | { readonly kind: 'user'; readonly userId: string }
  | { readonly kind: 'strategy'; readonly userId: string; readonly strategy: string };

/** A value that does not fit its NUMERIC(precision, scale) column is stored as null rather than failing the event. */
export function fit(value: Decimal | null, precision: number, scale: number): string | null {
  if (value === null || !value.isFinite()) return null;
  const rounded = value.toDecimalPlaces(scale);
  return rounded.abs().lt(new Decimal(10).pow(precision - scale)) ? rounded.toFixed(scale) : null;
}

const utcDay = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Recomputes a subject's overall and one day's performance_metrics from analytics.trade_facts inside the event's
 * transaction (so a redelivered event, skipped by runIdempotent, changes nothing).
 */
@Injectable()
export class PerformanceUpdater {
  constructor(private readonly metrics: PerformanceMetricsRepository) {}

  /** `defaultEquity`: the capital of a bot no bot event named one for (ANALYTICS_DEFAULT_STARTING_EQUITY). */
  async update(subject: PerformanceSubject, day: string, defaultEquity: Decimal, m: EntityManager): Promise<PerformanceFigures> {
    const { where, params } = this.filter(subject);
    const rows: { pnl: string; fee: string; at: Date; bot_id: string | null }[] = await m.query(
      `SELECT realized_pnl::text AS pnl, fee::text AS fee, executed_at AS at, bot_id FROM analytics.trade_facts WHERE ${where} ORDER BY executed_at, id`,
      params,
    );
    const trades: ClosedTrade[] = rows.map((r) => ({ realizedPnl: new Decimal(r.pnl), executedAt: new Date(r.at) }));
    const start = await this.startingEquity(rows, defaultEquity, m);
    const key = { userId: subject.userId, botId: subject.kind === 'bot' ? subject.botId : null, strategy: subject.kind === 'strategy' ? subject.strategy : null };

    const overall = performanceFigures(trades, start);
    const first = rows[0];
    const last = rows[rows.length - 1];
    const firstDay = first ? utcDay(new Date(first.at)) : day;
    const lastDay = last ? utcDay(new Date(last.at)) : day;
    await m.query(
      `DELETE FROM analytics.performance_metrics WHERE period = 'overall' AND user_id = $1 AND bot_id IS NOT DISTINCT FROM $2 AND strategy IS NOT DISTINCT FROM $3 AND period_start <> $4`,
      [key.userId, key.botId, key.strategy, firstDay],
    );
    const fees = (onDay: (d: string) => boolean) => rows.filter((r) => onDay(utcDay(new Date(r.at)))).reduce((sum, r) => sum.plus(r.fee), new Decimal(0)).toFixed();
    await this.metrics.upsert({ ...key, period: 'overall', periodStart: firstDay, periodEnd: lastDay, ...this.columns(overall), totalFees: fees(() => true) }, m);

    const before = trades.filter((t) => utcDay(t.executedAt) < day).reduce((e, t) => e.plus(t.realizedPnl), start);
    const ofDay = performanceFigures(trades.filter((t) => utcDay(t.executedAt) === day), before);
    await this.metrics.upsert({ ...key, period: 'day', periodStart: day, periodEnd: day, ...this.columns(ofDay), totalFees: fees((d) => d === day) }, m);
    return overall;
  }

  /**
   * The capital of the subject's trading: the sum over its bots of each bot's capital (bot_facts, from its bot
   * events) or the default, manual trades counting as one more default; the default alone before any trade.
   */
  private async startingEquity(rows: readonly { bot_id: string | null }[], defaultEquity: Decimal, m: EntityManager): Promise<Decimal> {
    const botIds = [...new Set(rows.map((r) => r.bot_id).filter((id): id is string => id !== null))];
    const manual = rows.some((r) => r.bot_id === null) ? 1 : 0;
    if (botIds.length + manual === 0) return defaultEquity;
    const known: { bot_id: string; capital: string }[] =
      botIds.length > 0
        ? await m.query(`SELECT bot_id, initial_capital::text AS capital FROM analytics.bot_facts WHERE bot_id = ANY($1::uuid[]) AND initial_capital IS NOT NULL`, [botIds])
        : [];
    const capitals = known.reduce((sum, k) => sum.plus(k.capital), new Decimal(0));
    return capitals.plus(defaultEquity.times(botIds.length - known.length + manual));
  }

  private filter(subject: PerformanceSubject): { where: string; params: string[] } {
    if (subject.kind === 'bot') return { where: 'bot_id = $1', params: [subject.botId] };
    if (subject.kind === 'user') return { where: 'user_id = $1', params: [subject.userId] };
    return { where: 'user_id = $1 AND strategy = $2', params: [subject.userId, subject.strategy] };
  }

  private columns(f: PerformanceFigures) {
    return {
      totalTrades: f.totalTrades,
      winningTrades: f.winningTrades,
      losingTrades: f.losingTrades,
      winRate: fit(f.winRate, 5, 2),
      avgWin: fit(f.avgWin, 20, 8),
      avgLoss: fit(f.avgLoss, 20, 8),
      profitFactor: fit(f.profitFactor, 10, 4),
      expectancy: fit(f.expectancy, 20, 8),
      totalPnl: fit(f.totalPnl, 28, 8) ?? '0',
      maxDrawdown: fit(f.maxDrawdown, 10, 4),
      sharpeRatio: fit(f.sharpeRatio, 10, 4),
      sortinoRatio: fit(f.sortinoRatio, 10, 4),
      calmarRatio: fit(f.calmarRatio, 10, 4),
      totalReturn: fit(f.totalReturn, 10, 4),
    };
  }
}
