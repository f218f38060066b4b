import { Check, Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';

/** One TradeExecuted event. */
@Entity({ schema: 'analytics', name: 'trade_facts' })
@Unique('uq_trade_facts_trade_id', ['tradeId'])
@Check('valid_mode', `mode IN ('live', 'paper')`)
@Check('valid_side', `side IN ('buy', 'sell')`)
@Check('positive_price', `price > 0`)
@Check('positive_quantity', `quantity > 0`)
@Check('valid_fee', `fee >= 0`)
@Index('idx_trade_facts_executed_at', ['executedAt'])
@Index('idx_trade_facts_bot_time', ['botId', 'executedAt', 'id'])
@Index('idx_trade_facts_user_time', ['userId', 'executedAt', 'id'])
export class TradeFactEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_trade_facts' })
  id: string;

  @Column('uuid')
  tradeId: string;

  @Column('uuid', { nullable: true })
  orderId: string | null;

  @Column('uuid', { nullable: true })
  botId: string | null;

  @Column('uuid')
  userId: string;

  @Column('varchar', { length: 50, nullable: true })
  strategy: string | null;

  @Column('varchar', { length: 50 })
  exchange: string;

  @Column('varchar', { length: 30 })
  symbol: string;

  @Column('varchar', { length: 10, default: 'live' })
  mode: 'live' | 'paper';

  @Column('varchar', { length: 4 })
  side: 'buy' | 'sell';

  @Column('numeric', { precision: 20, scale: 8 })
  price: string;

  @Column('numeric', { precision: 20, scale: 8 })
  quantity: string;

  @Column('numeric', { precision: 20, scale: 8, default: 0 })
  fee: string;

  @Column('varchar', { length: 20, nullable: true })
  feeCurrency: string | null;

  /** P&L the fill realised, net of fees; 0 when it opened or grew a position. */
  @Column('numeric', { precision: 20, scale: 8, default: 0 })
  realizedPnl: string;

  @Column('timestamptz')
  executedAt: Date;

  @Column('timestamptz', { default: () => 'now()' })
  createdAt: Date;
}
