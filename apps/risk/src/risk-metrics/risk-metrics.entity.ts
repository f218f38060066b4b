import { Check, Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';

/** Daily risk and performance metrics of one bot (alpha catalogue risk_metrics). */
@Entity({ schema: 'risk', name: 'risk_metrics' })
@Unique('unique_bot_date', ['botId', 'date'])
@Check(
  'valid_trade_counts',
  `total_trades >= 0 AND winning_trades >= 0 AND losing_trades >= 0 AND breakeven_trades >= 0 AND winning_trades + losing_trades + breakeven_trades <= total_trades`,
)
@Check('valid_win_rate', `win_rate >= 0 AND win_rate <= 1`)
@Index('idx_risk_metrics_bot_id', ['botId'])
@Index('idx_risk_metrics_date', ['date'])
@Index('idx_risk_metrics_bot_date', ['botId', 'date'])
export class RiskMetricsEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_risk_metrics' })
  id: string;

  @Column('uuid')
  botId: string;

  @Column('uuid')
  userId: string;

  /** The UTC day, YYYY-MM-DD. */
  @Column('date')
  date: string;

  @Column('numeric', { precision: 20, scale: 8 })
  startingEquity: string;

  @Column('numeric', { precision: 20, scale: 8 })
  endingEquity: string;

  @Column('numeric', { precision: 20, scale: 8, default: 0 })
  dailyPnl: string;

  @Column('numeric', { precision: 10, scale: 6, default: 0 })
  dailyPnlPct: string;

  @Column('numeric', { precision: 10, scale: 6, default: 0 })
  dailyReturn: string;

  @Column('integer', { default: 0 })
  totalTrades: number;

  @Column('integer', { default: 0 })
  winningTrades: number;

  @Column('integer', { default: 0 })
  losingTrades: number;

  @Column('integer', { default: 0 })
  breakevenTrades: number;

  @Column('numeric', { precision: 5, scale: 4, default: 0 })
  winRate: string;

  @Column('numeric', { precision: 20, scale: 8, default: 0 })
  grossProfit: string;

  @Column('numeric', { precision: 20, scale: 8, default: 0 })
  grossLoss: string;

  @Column('numeric', { precision: 20, scale: 8, default: 0 })
  netProfit: string;

  @Column('numeric', { precision: 10, scale: 4, default: 0 })
  profitFactor: string;

  @Column('numeric', { precision: 20, scale: 8, default: 0 })
  avgWin: string;

  @Column('numeric', { precision: 20, scale: 8, default: 0 })
  avgLoss: string;

  @Column('numeric', { precision: 20, scale: 8, default: 0 })
  largestWin: string;

  @Column('numeric', { precision: 20, scale: 8, default: 0 })
  largestLoss: string;

  @Column('numeric', { precision: 10, scale: 4, default: 0 })
  maxDrawdown: string;

  @Column('numeric', { precision: 10, scale: 6, default: 0 })
  maxDrawdownPct: string;

  @Column('numeric', { precision: 10, scale: 4, default: 0 })
  currentDrawdown: string;

  @Column('numeric', { precision: 10, scale: 4, nullable: true })
  sharpeRatio: string | null;

  @Column('numeric', { precision: 10, scale: 4, nullable: true })
  sortinoRatio: string | null;

  @Column('numeric', { precision: 10, scale: 4, nullable: true })
  calmarRatio: string | null;

  @Column('numeric', { precision: 10, scale: 4, nullable: true })
  avgLeverage: string | null;

  @Column('numeric', { precision: 10, scale: 4, nullable: true })
  maxLeverage: string | null;

  @Column('numeric', { precision: 20, scale: 8, nullable: true })
  avgPositionSize: string | null;

  @Column('numeric', { precision: 20, scale: 8, nullable: true })
  maxExposure: string | null;

  @Column('numeric', { precision: 10, scale: 2, nullable: true })
  avgHoldingTimeHours: string | null;

  @Column('numeric', { precision: 10, scale: 2, nullable: true })
  shortestTradeHours: string | null;

  @Column('numeric', { precision: 10, scale: 2, nullable: true })
  longestTradeHours: string | null;

  @Column('timestamptz', { default: () => 'now()' })
  createdAt: Date;

  @Column('timestamptz', { default: () => 'now()' })
  calculatedAt: Date;
}
