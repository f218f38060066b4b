import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, Unique } from 'typeorm';
import { OrderEntity, OrderSide, TradingMode } from '../orders/order.entity';

/** One fill of an order. */
@Entity({ schema: 'trading', name: 'trades' })
@Unique('uq_trades_trade_id', ['tradeId'])
@Check('valid_mode', `mode IN ('live', 'paper')`)
@Check('valid_side', `side IN ('buy', 'sell')`)
@Check('positive_quantity', `quantity > 0`)
@Check('positive_price', `price > 0`)
@Check('valid_fee', `fee >= 0`)
@Check('valid_liquidity', `liquidity IS NULL OR liquidity IN ('maker', 'taker')`)
@Index('idx_trades_order_id', ['orderId'])
@Index('idx_trades_bot_id', ['botId'])
@Index('idx_trades_user_id', ['userId'])
@Index('idx_trades_symbol', ['symbol', 'exchange'])
@Index('idx_trades_executed_at', ['executedAt'])
@Index('idx_trades_bot_time', ['botId', 'executedAt', 'id'])
@Index('idx_trades_user_time', ['userId', 'executedAt', 'id'])
export class TradeEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_trades' })
  id: string;

  /** The exchange's trade id, or a generated one for paper fills. */
  @Column('varchar', { length: 100 })
  tradeId: string;

  @Column('uuid')
  orderId: string;

  @ManyToOne(() => OrderEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'order_id', foreignKeyConstraintName: 'fk_trades_order' })
  order?: OrderEntity;

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

  @Column('varchar', { length: 4 })
  side: OrderSide;

  @Column('numeric', { precision: 20, scale: 8 })
  price: string;

  @Column('numeric', { precision: 20, scale: 8 })
  quantity: string;

  @Column('numeric', { precision: 20, scale: 8 })
  quoteQuantity: string;

  @Column('numeric', { precision: 20, scale: 8, default: 0 })
  fee: string;

  @Column('varchar', { length: 20, nullable: true })
  feeCurrency: string | null;

  @Column('numeric', { precision: 20, scale: 8, nullable: true })
  realizedPnl: string | null;

  @Column('varchar', { length: 5, nullable: true })
  liquidity: 'maker' | 'taker' | null;

  @Column('timestamptz')
  executedAt: Date;

  @Column('timestamptz', { default: () => 'now()' })
  createdAt: Date;
}
