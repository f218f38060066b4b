import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn, Unique } from 'typeorm';
import { JsonObject } from '../database/json';
import { StrategyEntity } from '../strategies/strategy.entity';

export type BotMode = 'paper' | 'live' | 'backtest';
export type BotStatus = 'stopped' | 'running' | 'paused' | 'archived' | 'error';
export type MarketType = 'spot' | 'futures';
export type SizingMode = 'percent_equity' | 'fixed_quote' | 'risk_per_trade';

/** A bot: one strategy on one market with its capital and risk settings. Percentages are in percent (2.50 = 2.5 %). */
@Entity({ schema: 'strategy', name: 'bots' })
@Unique('uq_bots_user_name', ['userId', 'name'])
@Check('chk_bots_mode', `mode IN ('paper', 'live', 'backtest')`)
@Check('chk_bots_market_type', `market_type IN ('spot', 'futures')`)
@Check('chk_bots_status', `status IN ('stopped', 'running', 'paused', 'archived', 'error')`)
@Check('chk_bots_capital', `initial_capital > 0 AND (current_equity IS NULL OR current_equity >= 0)`)
@Check('chk_bots_leverage', `leverage BETWEEN 1 AND 125 AND (market_type = 'futures' OR leverage = 1)`)
@Check('chk_bots_sizing_mode', `sizing_mode IN ('percent_equity', 'fixed_quote', 'risk_per_trade')`)
@Check('chk_bots_sizing', `(sizing_mode = 'percent_equity' AND position_size_pct IS NOT NULL) OR (sizing_mode = 'fixed_quote' AND position_size_fixed IS NOT NULL) OR (sizing_mode = 'risk_per_trade' AND risk_per_trade_pct IS NOT NULL AND stop_loss_pct IS NOT NULL)`)
@Check('chk_bots_position_size', `(position_size_pct IS NULL OR (position_size_pct > 0 AND position_size_pct <= 100)) AND (position_size_fixed IS NULL OR position_size_fixed > 0) AND (risk_per_trade_pct IS NULL OR (risk_per_trade_pct > 0 AND risk_per_trade_pct <= 100))`)
@Check('chk_bots_exits', `(stop_loss_pct IS NULL OR (stop_loss_pct > 0 AND stop_loss_pct < 100)) AND (take_profit_pct IS NULL OR take_profit_pct > 0) AND (trailing_stop_pct IS NULL OR (trailing_stop_pct > 0 AND trailing_stop_pct < 100)) AND (NOT trailing_stop_active OR trailing_stop_pct IS NOT NULL)`)
@Check('chk_bots_loss_limits', `(daily_target_pct IS NULL OR daily_target_pct > 0) AND (max_daily_loss_pct IS NULL OR (max_daily_loss_pct > 0 AND max_daily_loss_pct <= 100)) AND (max_weekly_loss_pct IS NULL OR (max_weekly_loss_pct > 0 AND max_weekly_loss_pct <= 100)) AND (max_drawdown_pct IS NULL OR (max_drawdown_pct > 0 AND max_drawdown_pct <= 100))`)
@Check('chk_bots_counts', `max_positions >= 1 AND (max_daily_trades IS NULL OR max_daily_trades >= 1) AND (check_interval_seconds IS NULL OR check_interval_seconds >= 1)`)
@Check('chk_bots_live_api_key', `mode <> 'live' OR api_key_id IS NOT NULL`)
@Index('idx_bots_user_created', ['userId', 'createdAt'])
@Index('idx_bots_strategy_id', ['strategyId'])
@Index('idx_bots_status', ['status'])
@Index('idx_bots_running_market', ['exchange', 'symbol', 'timeframe'], { where: `status = 'running'` })
export class BotEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_bots' })
  id: string;

  @Column('uuid')
  userId: string;

  @ForeignKey(() => StrategyEntity, { name: 'fk_bots_strategy', onDelete: 'RESTRICT' })
  @Column('uuid')
  strategyId: string;

  @Column('varchar', { length: 100 })
  name: string;

  @Column('text', { nullable: true })
  description: string | null;

  @Column('varchar', { length: 50 })
  exchange: string;

  @Column('varchar', { length: 40 })
  symbol: string;

  @Column('varchar', { length: 10 })
  timeframe: string;

  @Column('varchar', { length: 10, default: 'paper' })
  mode: BotMode;

  @Column('varchar', { length: 10, default: 'spot' })
  marketType: MarketType;

  @Column('varchar', { length: 20, default: 'stopped' })
  status: BotStatus;

  @Column('numeric', { precision: 20, scale: 8 })
  initialCapital: string;

  @Column('numeric', { precision: 20, scale: 8, nullable: true })
  currentEquity: string | null;

  @Column('integer', { default: 1 })
  leverage: number;

  @Column('varchar', { length: 20, default: 'percent_equity' })
  sizingMode: SizingMode;

  /** Percent of equity per position (scratch's position_size_percent, default 100). */
  @Column('numeric', { precision: 5, scale: 2, nullable: true, default: 100 })
  positionSizePct: string | null;

  @Column('numeric', { precision: 20, scale: 8, nullable: true })
  positionSizeFixed: string | null;

  @Column('numeric', { precision: 5, scale: 2, nullable: true })
  riskPerTradePct: string | null;

  @Column('numeric', { precision: 5, scale: 2, nullable: true })
  stopLossPct: string | null;

  @Column('numeric', { precision: 5, scale: 2, nullable: true })
  takeProfitPct: string | null;

  @Column('numeric', { precision: 5, scale: 2, nullable: true })
  trailingStopPct: string | null;

  @Column('boolean', { default: false })
  trailingStopActive: boolean;

  @Column('numeric', { precision: 5, scale: 2, nullable: true })
  dailyTargetPct: string | null;

  @Column('numeric', { precision: 5, scale: 2, nullable: true })
  maxDailyLossPct: string | null;

  @Column('numeric', { precision: 5, scale: 2, nullable: true })
  maxWeeklyLossPct: string | null;

  @Column('numeric', { precision: 5, scale: 2, nullable: true })
  maxDrawdownPct: string | null;

  @Column('integer', { nullable: true })
  maxDailyTrades: number | null;

  @Column('integer', { default: 1 })
  maxPositions: number;

  @Column('integer', { nullable: true })
  checkIntervalSeconds: number | null;

  /** auth.user_api_keys id (another service's row: no foreign key). Required in live mode. */
  @Column('uuid', { nullable: true })
  apiKeyId: string | null;

  @Column('jsonb', { default: {} })
  strategyParams: JsonObject;

  @Column('jsonb', { default: {} })
  riskSettings: JsonObject;

  @Column('timestamptz', { nullable: true })
  lastHeartbeat: Date | null;

  @Column('timestamptz', { nullable: true })
  startedAt: Date | null;

  @Column('timestamptz', { nullable: true })
  stoppedAt: Date | null;

  @Column('timestamptz', { default: () => 'now()' })
  createdAt: Date;

  @Column('timestamptz', { default: () => 'now()' })
  updatedAt: Date;
}
