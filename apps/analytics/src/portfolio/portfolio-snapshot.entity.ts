import { Check, Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';
import { JsonObject } from '../database/json-value';

/** A user's (or one bot's, when bot_id is set) portfolio at one instant. */
@Entity({ schema: 'analytics', name: 'portfolio_snapshots' })
@Unique('uq_portfolio_snapshots_time', ['userId', 'botId', 'timestamp'])
@Check('valid_counts', `active_bots >= 0 AND bots_in_trade >= 0 AND total_open_positions >= 0`)
@Index('idx_portfolio_timestamp', ['timestamp'])
@Index('idx_portfolio_snapshots_user_time', ['userId', 'timestamp', 'id'])
export class PortfolioSnapshotEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_portfolio_snapshots' })
  id: string;

  @Column('uuid')
  userId: string;

  @Column('uuid', { nullable: true })
  botId: string | null;

  @Column('timestamptz', { default: () => 'now()' })
  timestamp: Date;

  @Column('numeric', { precision: 20, scale: 8 })
  totalEquity: string;

  @Column('numeric', { precision: 20, scale: 8 })
  totalBalance: string;

  @Column('numeric', { precision: 20, scale: 8, default: 0 })
  totalUnrealizedPnl: string;

  @Column('numeric', { precision: 28, scale: 8, default: 0 })
  totalRealizedPnl: string;

  @Column('numeric', { precision: 10, scale: 4, nullable: true })
  totalPnlPercent: string | null;

  @Column('numeric', { precision: 20, scale: 8, default: 0 })
  totalMarginUsed: string;

  @Column('numeric', { precision: 10, scale: 4, nullable: true })
  portfolioLeverage: string | null;

  @Column('numeric', { precision: 20, scale: 8, nullable: true })
  portfolioExposure: string | null;

  /** Value at risk, 95 %. */
  @Column('numeric', { name: 'portfolio_var_95', precision: 20, scale: 8, nullable: true })
  portfolioVar95: string | null;

  @Column('integer', { default: 0 })
  activeBots: number;

  @Column('integer', { default: 0 })
  botsInTrade: number;

  @Column('integer', { default: 0 })
  totalOpenPositions: number;

  @Column('numeric', { precision: 20, scale: 8, default: 0 })
  dailyPnl: string;

  @Column('numeric', { precision: 20, scale: 8, default: 0 })
  weeklyPnl: string;

  @Column('numeric', { precision: 20, scale: 8, default: 0 })
  monthlyPnl: string;

  /** Value per asset, e.g. { "BTC": "0.5", "USDT": "1000" }. */
  @Column('jsonb', { default: {} })
  assetAllocation: JsonObject;

  @Column('jsonb', { nullable: true })
  botMetrics: JsonObject | null;

  @Column('timestamptz', { default: () => 'now()' })
  createdAt: Date;
}
