import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { BotEntity, MarketType } from '../bots/bot.entity';
import { JsonObject } from '../database/json';
import { StrategyEntity } from '../strategies/strategy.entity';

export type BacktestStatus = 'queued' | 'running' | 'completed' | 'failed';

/** A backtest job and, once completed, its results. Money in decimal strings; ratios NUMERIC(10,4). */
@Entity({ schema: 'strategy', name: 'backtests' })
@Check('chk_backtests_status', `status IN ('queued', 'running', 'completed', 'failed')`)
@Check('chk_backtests_market_type', `market_type IN ('spot', 'futures')`)
@Check('chk_backtests_period', `end_time > start_time`)
@Check('chk_backtests_progress', `progress >= 0 AND progress <= 100`)
@Check('chk_backtests_capital', `initial_capital > 0 AND (final_capital IS NULL OR final_capital >= 0)`)
@Check(
  'chk_backtests_trade_counts',
  `(total_trades IS NULL OR total_trades >= 0) AND (winning_trades IS NULL OR winning_trades >= 0) AND (losing_trades IS NULL OR losing_trades >= 0) AND (total_trades IS NULL OR winning_trades IS NULL OR losing_trades IS NULL OR winning_trades + losing_trades <= total_trades)`,
)
@Check('chk_backtests_win_rate', `win_rate IS NULL OR (win_rate >= 0 AND win_rate <= 100)`)
@Check('chk_backtests_completed', `status <> 'completed' OR final_capital IS NOT NULL`)
@Check('chk_backtests_failed', `status <> 'failed' OR error IS NOT NULL`)
@Index('idx_backtests_user_created', ['userId', 'createdAt'])
@Index('idx_backtests_bot_id', ['botId'])
@Index('idx_backtests_strategy_id', ['strategyId'])
@Index('idx_backtests_queued', ['createdAt'], { where: `status = 'queued'` })
export class BacktestEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_backtests' })
  id: string;

  @Column('uuid')
  userId: string;

  @ForeignKey(() => BotEntity, { name: 'fk_backtests_bot', onDelete: 'SET NULL' })
  @Column('uuid', { nullable: true })
  botId: string | null;

  @ForeignKey(() => StrategyEntity, { name: 'fk_backtests_strategy', onDelete: 'SET NULL' })
  @Column('uuid', { nullable: true })
  strategyId: string | null;

  /** Strategy type that ran, kept even if the strategy row is deleted. */
  @Column('varchar', { length: 50 })
  strategy: string;

  @Column('jsonb', { default: {} })
  params: JsonObject;

  /** How to run it: candle source (`{ dataset }` or `{ market: true }`), costs, fill timing, sizing and exits. */
  @Column('jsonb', { default: {} })
  settings: JsonObject;

  @Column('varchar', { length: 50 })
  exchange: string;

  @Column('varchar', { length: 40 })
  symbol: string;

  @Column('varchar', { length: 10 })
  timeframe: string;

  @Column('varchar', { length: 10, default: 'spot' })
  marketType: MarketType;

  @Column('timestamptz')
  startTime: Date;

  @Column('timestamptz')
  endTime: Date;

  @Column('varchar', { length: 20, default: 'queued' })
  status: BacktestStatus;

  /** Percent done, 0 to 100. */
  @Column('numeric', { precision: 5, scale: 2, default: 0 })
  progress: string;

  @Column('numeric', { precision: 20, scale: 8 })
  initialCapital: string;

  @Column('numeric', { precision: 20, scale: 8, nullable: true })
  finalCapital: string | null;

  /** Percent. */
  @Column('numeric', { precision: 10, scale: 4, nullable: true })
  totalReturn: string | null;

  @Column('integer', { nullable: true })
  totalTrades: number | null;

  @Column('integer', { nullable: true })
  winningTrades: number | null;

  @Column('integer', { nullable: true })
  losingTrades: number | null;

  /** Percent. */
  @Column('numeric', { precision: 5, scale: 2, nullable: true })
  winRate: string | null;

  @Column('numeric', { precision: 20, scale: 8, nullable: true })
  totalFees: string | null;

  @Column('numeric', { precision: 20, scale: 8, nullable: true })
  avgProfit: string | null;

  @Column('numeric', { precision: 10, scale: 4, nullable: true })
  profitFactor: string | null;

  /** Percent. */
  @Column('numeric', { precision: 10, scale: 4, nullable: true })
  maxDrawdown: string | null;

  @Column('numeric', { precision: 10, scale: 4, nullable: true })
  sharpeRatio: string | null;

  @Column('jsonb', { nullable: true })
  stats: JsonObject | null;

  @Column('jsonb', { nullable: true })
  equityCurve: JsonObject[] | null;

  @Column('jsonb', { nullable: true })
  trades: JsonObject[] | null;

  @Column('jsonb', { nullable: true })
  dailyResults: JsonObject[] | null;

  @Column('jsonb', { nullable: true })
  monthlyResults: JsonObject[] | null;

  @Column('text', { nullable: true })
  error: string | null;

  @Column('timestamptz', { default: () => 'now()' })
  createdAt: Date;

  @Column('timestamptz', { default: () => 'now()' })
  updatedAt: Date;

  @Column('timestamptz', { nullable: true })
  startedAt: Date | null;

  @Column('timestamptz', { nullable: true })
  finishedAt: Date | null;
}
