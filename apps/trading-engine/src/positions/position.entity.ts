import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { JsonObject } from '../database/json-value';
import { TradingMode } from '../orders/order.entity';

export const POSITION_STATUSES = ['open', 'partially_closed', 'closed', 'liquidated'] as const;
export type PositionStatus = (typeof POSITION_STATUSES)[number];

/** A bot's (or a user's manual) position; a closed one keeps its last size. */
@Entity({ schema: 'trading', name: 'positions' })
@Check('valid_mode', `mode IN ('live', 'paper')`)
@Check('valid_side', `side IN ('long', 'short')`)
@Check('valid_status', `status IN ('open', 'partially_closed', 'closed', 'liquidated')`)
@Check('positive_size', `size > 0`)
@Check('positive_entry_price', `avg_entry_price > 0`)
@Check('valid_leverage', `leverage >= 1`)
@Check('valid_trailing_stop_pct', `trailing_stop_pct IS NULL OR (trailing_stop_pct > 0 AND trailing_stop_pct < 1)`)
@Check('valid_closed_at', `status NOT IN ('closed', 'liquidated') OR closed_at IS NOT NULL`)
@Index('idx_positions_bot_id', ['botId'])
@Index('idx_positions_user_id', ['userId'])
@Index('idx_positions_symbol', ['symbol'])
@Index('idx_positions_status', ['status'])
@Index('idx_positions_bot_symbol', ['botId', 'symbol'])
@Index('idx_positions_opened_at', ['openedAt'])
@Index('idx_positions_user_time', ['userId', 'openedAt', 'id'])
@Index('uq_positions_open', ['userId', 'botId', 'exchange', 'symbol'], { unique: true, where: `status = 'open'` })
@Index('idx_positions_entry_trades', ['entryTradeIds'])
export class PositionEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_positions' })
  id: string;

  @Column('uuid', { nullable: true })
  botId: string | null;

  @Column('uuid')
  userId: string;

  @Column('varchar', { length: 50 })
  exchange: string;

  @Column('varchar', { length: 30 })
  symbol: string;

  @Column('varchar', { length: 10, default: 'live' })
  mode: TradingMode;

  @Column('varchar', { length: 5 })
  side: 'long' | 'short';

  @Column('numeric', { precision: 20, scale: 8 })
  size: string;

  @Column('numeric', { precision: 20, scale: 8 })
  avgEntryPrice: string;

  @Column('numeric', { precision: 20, scale: 8, nullable: true })
  currentPrice: string | null;

  @Column('integer', { default: 1 })
  leverage: number;

  @Column('numeric', { precision: 20, scale: 8, default: 0 })
  unrealizedPnl: string;

  @Column('numeric', { precision: 10, scale: 6, default: 0 })
  unrealizedPnlPct: string;

  @Column('numeric', { precision: 28, scale: 8, default: 0 })
  realizedPnl: string;

  @Column('numeric', { precision: 28, scale: 8, default: 0 })
  totalPnl: string;

  @Column('numeric', { precision: 28, scale: 8, default: 0 })
  feesPaid: string;

  @Column('numeric', { precision: 20, scale: 8, nullable: true })
  stopLoss: string | null;

  @Column('numeric', { precision: 20, scale: 8, nullable: true })
  takeProfit: string | null;

  @Column('numeric', { precision: 5, scale: 4, nullable: true })
  trailingStopPct: string | null;

  @Column('numeric', { precision: 20, scale: 8, nullable: true })
  highestPrice: string | null;

  @Column('numeric', { precision: 20, scale: 8, nullable: true })
  lowestPrice: string | null;

  @Column('varchar', { length: 20, default: 'open' })
  status: PositionStatus;

  @Column('varchar', { length: 50, nullable: true })
  strategy: string | null;

  @Column('timestamptz', { default: () => 'now()' })
  openedAt: Date;

  @Column('timestamptz', { nullable: true })
  closedAt: Date | null;

  @Column('text', { array: true, nullable: true })
  entryTradeIds: string[] | null;

  @Column('text', { array: true, nullable: true })
  exitTradeIds: string[] | null;

  @Column('jsonb', { nullable: true })
  metadata: JsonObject | null;

  @Column('timestamptz', { default: () => 'now()' })
  createdAt: Date;

  @Column('timestamptz', { default: () => 'now()' })
  updatedAt: Date;
}
