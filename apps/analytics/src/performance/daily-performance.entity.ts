import { Check, Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';

/** A bot's trading results for one UTC day, updated per trade. */
@Entity({ schema: 'analytics', name: 'daily_performance' })
@Unique('uq_daily_performance_bot_date', ['botId', 'date'])
@Check('valid_counts', `trades >= 0 AND wins >= 0 AND losses >= 0 AND wins + losses <= trades`)
@Check('valid_fees', `fees >= 0`)
@Index('idx_daily_performance_user_date', ['userId', 'date'])
export class DailyPerformanceEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_daily_performance' })
  id: string;

  @Column('uuid')
  botId: string;

  @Column('uuid')
  userId: string;

  @Column('date')
  date: string;

  @Column('integer', { default: 0 })
  trades: number;

  @Column('integer', { default: 0 })
  wins: number;

  @Column('integer', { default: 0 })
  losses: number;

  @Column('numeric', { precision: 28, scale: 8, default: 0 })
  pnl: string;

  @Column('numeric', { precision: 28, scale: 8, default: 0 })
  fees: string;

  @Column('timestamptz', { default: () => 'now()' })
  updatedAt: Date;
}
