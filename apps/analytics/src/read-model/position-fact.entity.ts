import { Check, Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';

export type PositionFactStatus = 'open' | 'partially_closed' | 'closed' | 'liquidated';

/** The current position per user, bot, exchange and symbol, from PositionChanged; a closed one keeps its last size. */
@Entity({ schema: 'analytics', name: 'position_facts' })
@Unique('uq_position_facts_key', ['userId', 'botId', 'exchange', 'symbol'])
@Check('valid_mode', `mode IN ('live', 'paper')`)
@Check('valid_side', `side IN ('long', 'short')`)
@Check('valid_status', `status IN ('open', 'partially_closed', 'closed', 'liquidated')`)
@Check('positive_size', `size > 0`)
@Check('positive_entry_price', `avg_entry_price > 0`)
@Check('valid_leverage', `leverage >= 1`)
@Index('idx_position_facts_bot_id', ['botId'])
@Index('idx_position_facts_open', ['userId'], { where: `status = 'open'` })
export class PositionFactEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_position_facts' })
  id: string;

  @Column('uuid')
  userId: string;

  @Column('uuid', { nullable: true })
  botId: string | null;

  @Column('varchar', { length: 50 })
  exchange: string;

  @Column('varchar', { length: 30 })
  symbol: string;

  @Column('varchar', { length: 10, default: 'live' })
  mode: 'live' | 'paper';

  @Column('varchar', { length: 5 })
  side: 'long' | 'short';

  @Column('numeric', { precision: 20, scale: 8 })
  size: string;

  @Column('numeric', { precision: 20, scale: 8 })
  avgEntryPrice: string;

  @Column('numeric', { precision: 20, scale: 8, nullable: true })
  currentPrice: string | null;

  @Column('numeric', { precision: 20, scale: 8, default: 0 })
  unrealizedPnl: string;

  @Column('numeric', { precision: 10, scale: 6, nullable: true })
  unrealizedPnlPct: string | null;

  @Column('numeric', { precision: 28, scale: 8, default: 0 })
  realizedPnl: string;

  @Column('integer', { default: 1 })
  leverage: number;

  @Column('varchar', { length: 20, default: 'open' })
  status: PositionFactStatus;

  @Column('uuid', { nullable: true })
  lastTradeId: string | null;

  @Column('timestamptz')
  openedAt: Date;

  @Column('timestamptz', { nullable: true })
  closedAt: Date | null;

  /** Time of the event this row reflects; older events are ignored. */
  @Column('timestamptz')
  changedAt: Date;

  @Column('timestamptz', { default: () => 'now()' })
  updatedAt: Date;
}
