import { Check, Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';

export type PerformancePeriod = 'day' | 'overall';

/** Performance of a user, a bot or a strategy over a day or overall. */
@Entity({ schema: 'analytics', name: 'performance_metrics' })
@Unique('uq_performance_metrics_period', ['userId', 'botId', 'strategy', 'period', 'periodStart'])
@Check('valid_period', `period IN ('day', 'overall')`)
@Check('valid_period_range', `period_end >= period_start`)
@Check(
  'valid_trade_counts',
  `total_trades >= 0 AND winning_trades >= 0 AND losing_trades >= 0 AND winning_trades + losing_trades <= total_trades`,
)
@Check('valid_win_rate', `win_rate IS NULL OR (win_rate >= 0 AND win_rate <= 100)`)
@Index('idx_performance_metrics_user_id', ['userId'])
@Index('idx_performance_metrics_bot_id', ['botId'])
export class PerformanceMetricsEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_performance_metrics' })
  id: string;

  @Column('uuid')
  userId: string;

  @Column('uuid', { nullable: true })
  botId: string | null;

  @Column('varchar', { length: 50, nullable: true })
  strategy: string | null;

  @Column('varchar', { length: 10 })
  period: PerformancePeriod;

  /** YYYY-MM-DD (UTC). */
  @Column('date')
  periodStart: string;

  @Column('date')
  periodEnd: string;

  @Column('integer', { default: 0 })
  totalTrades: number;

  @Column('integer', { default: 0 })
  winningTrades: number;

  @Column('integer', { default: 0 })
  losingTrades: number;

  /** Percent, 0..100. */
  @Column('numeric', { precision: 5, scale: 2, nullable: true })
  winRate: string | null;

  @Column('numeric', { precision: 20, scale: 8, nullable: true })
  avgWin: string | null;

  @Column('numeric', { precision: 20, scale: 8, nullable: true })
  avgLoss: string | null;

  @Column('numeric', { precision: 10, scale: 4, nullable: true })
  profitFactor: string | null;

  @Column('numeric', { precision: 20, scale: 8, nullable: true })
  expectancy: string | null;

  @Column('numeric', { precision: 28, scale: 8, default: 0 })
  totalPnl: string;

  @Column('numeric', { precision: 28, scale: 8, default: 0 })
  totalFees: string;

  @Column('numeric', { precision: 10, scale: 4, nullable: true })
  maxDrawdown: string | null;

  @Column('numeric', { precision: 10, scale: 4, nullable: true })
  sharpeRatio: string | null;

  @Column('numeric', { precision: 10, scale: 4, nullable: true })
  sortinoRatio: string | null;

  @Column('numeric', { precision: 10, scale: 4, nullable: true })
  calmarRatio: string | null;

  @Column('numeric', { precision: 10, scale: 4, nullable: true })
  totalReturn: string | null;

  @Column('timestamptz', { default: () => 'now()' })
  createdAt: Date;

  @Column('timestamptz', { default: () => 'now()' })
  updatedAt: Date;
}
