import { Check, Column, Entity, ForeignKey, PrimaryColumn } from 'typeorm';
import { JsonObject } from '../database/json';
import { BotEntity, BotStatus } from './bot.entity';

export type PositionSide = 'long' | 'short';

/** What a bot needs to resume after a restart (tradebot's bot_state). `revision` guards concurrent writers. */
@Entity({ schema: 'strategy', name: 'bot_state' })
@Check('chk_bot_state_status', `status IN ('stopped', 'running', 'paused', 'archived', 'error')`)
@Check('chk_bot_state_position_side', `position_side IS NULL OR position_side IN ('long', 'short')`)
@Check('chk_bot_state_position', `NOT in_position OR (position_side IS NOT NULL AND entry_price IS NOT NULL AND position_size IS NOT NULL AND entry_price > 0 AND position_size > 0)`)
@Check('chk_bot_state_daily_trades', `daily_trades_count >= 0`)
export class BotStateEntity {
  @ForeignKey(() => BotEntity, { name: 'fk_bot_state_bot', onDelete: 'CASCADE' })
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_bot_state' })
  botId: string;

  @Column('varchar', { length: 20, default: 'stopped' })
  status: BotStatus;

  @Column('boolean', { default: false })
  inPosition: boolean;

  @Column('varchar', { length: 5, nullable: true })
  positionSide: PositionSide | null;

  @Column('numeric', { precision: 20, scale: 8, nullable: true })
  entryPrice: string | null;

  @Column('numeric', { precision: 20, scale: 8, nullable: true })
  positionSize: string | null;

  @Column('numeric', { precision: 20, scale: 8, nullable: true })
  trailingStopPrice: string | null;

  @Column('numeric', { precision: 20, scale: 8, nullable: true })
  maxPriceSinceEntry: string | null;

  @Column('numeric', { precision: 20, scale: 8, nullable: true })
  minPriceSinceEntry: string | null;

  @Column('numeric', { precision: 20, scale: 8, nullable: true })
  takeProfitPrice: string | null;

  @Column('numeric', { precision: 20, scale: 8, nullable: true })
  stopLossPrice: string | null;

  @Column('numeric', { precision: 20, scale: 8, default: 0 })
  dailyPnl: string;

  @Column('integer', { default: 0 })
  dailyTradesCount: number;

  /** The UTC day daily_pnl and daily_trades_count belong to (YYYY-MM-DD). */
  @Column('date', { nullable: true })
  tradingDay: string | null;

  @Column('timestamptz', { nullable: true })
  lastCandleTime: Date | null;

  @Column('timestamptz', { nullable: true })
  lastRunAt: Date | null;

  @Column('text', { nullable: true })
  lastErrorMessage: string | null;

  @Column('jsonb', { default: {} })
  state: JsonObject;

  @Column('integer', { default: 0 })
  revision: number;

  @Column('timestamptz', { default: () => 'now()' })
  updatedAt: Date;
}
