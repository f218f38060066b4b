import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, Unique } from 'typeorm';
import { JsonObject } from '../database/json-value';
import { PortfolioEntity } from '../portfolios/portfolio.entity';

export const ORDER_SOURCES = [
  'strategy',
  'manual',
  'stop_loss',
  'take_profit',
  'trailing_stop',
  'risk',
  'reconcile',
] as const;
export type OrderSource = (typeof ORDER_SOURCES)[number];
export const ORDER_TYPES = [
  'market',
  'limit',
  'stop_market',
  'stop_limit',
  'trailing_stop',
  'stop_loss',
  'take_profit',
] as const;
export type OrderType = (typeof ORDER_TYPES)[number];
export const ORDER_STATUSES = [
  'pending',
  'submitted',
  'partially_filled',
  'filled',
  'cancelled',
  'rejected',
  'expired',
  'failed',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export const ACTIVE_ORDER_STATUSES: readonly OrderStatus[] = ['pending', 'submitted', 'partially_filled'];
export const ORDER_PURPOSES = [
  'entry',
  'exit',
  'stop_loss',
  'take_profit',
  'reduce_only',
  'scale_in',
  'scale_out',
] as const;
export type OrderPurpose = (typeof ORDER_PURPOSES)[number];
export type OrderSide = 'buy' | 'sell';
export type TradingMode = 'live' | 'paper';

@Entity({ schema: 'trading', name: 'orders' })
@Unique('uq_orders_client_order_id', ['clientOrderId'])
@Check('valid_mode', `mode IN ('live', 'paper')`)
@Check(
  'valid_source',
  `source IN ('strategy', 'manual', 'stop_loss', 'take_profit', 'trailing_stop', 'risk', 'reconcile')`,
)
@Check(
  'valid_order_type',
  `order_type IN ('market', 'limit', 'stop_market', 'stop_limit', 'trailing_stop', 'stop_loss', 'take_profit')`,
)
@Check('valid_side', `side IN ('buy', 'sell')`)
@Check(
  'valid_status',
  `status IN ('pending', 'submitted', 'partially_filled', 'filled', 'cancelled', 'rejected', 'expired', 'failed')`,
)
@Check(
  'valid_order_purpose',
  `order_purpose IS NULL OR order_purpose IN ('entry', 'exit', 'stop_loss', 'take_profit', 'reduce_only', 'scale_in', 'scale_out')`,
)
@Check('positive_quantity', `quantity > 0`)
@Check('valid_filled_quantity', `filled_quantity >= 0 AND filled_quantity <= quantity`)
@Check('valid_prices', `(price IS NULL OR price > 0) AND (stop_price IS NULL OR stop_price > 0)`)
@Check('valid_fees', `fees >= 0`)
@Check('valid_retry_count', `retry_count >= 0`)
@Index('idx_orders_bot_id', ['botId'])
@Index('idx_orders_symbol', ['symbol'])
@Index('idx_orders_status', ['status'])
@Index('idx_orders_exchange_id', ['exchangeOrderId'])
@Index('idx_orders_created_at', ['createdAt'])
@Index('idx_orders_position_id', ['positionId'], { where: 'position_id IS NOT NULL' })
@Index('idx_orders_portfolio_id', ['portfolioId'], { where: 'portfolio_id IS NOT NULL' })
@Index('idx_orders_signal_id', ['signalId'], { where: 'signal_id IS NOT NULL' })
@Index('idx_orders_active', ['botId', 'symbol'], { where: `status IN ('pending', 'submitted', 'partially_filled')` })
@Index('idx_orders_user_time', ['userId', 'createdAt', 'id'])
@Index('idx_orders_bot_time', ['botId', 'createdAt', 'id'])
export class OrderEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_orders' })
  id: string;

  /** The signal id for strategy orders, else generated; the exchange's newClientOrderId, so retries are idempotent. */
  @Column('varchar', { length: 100 })
  clientOrderId: string;

  @Column('varchar', { length: 100, nullable: true })
  exchangeOrderId: string | null;

  @Column('uuid', { nullable: true })
  signalId: string | null;

  /** null for manual orders, which have no bot. */
  @Column('uuid', { nullable: true })
  botId: string | null;

  @Column('uuid')
  userId: string;

  @Column('uuid', { nullable: true })
  portfolioId: string | null;

  @ManyToOne(() => PortfolioEntity, { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'portfolio_id', foreignKeyConstraintName: 'fk_orders_portfolio' })
  portfolio?: PortfolioEntity | null;

  @Column('varchar', { length: 50 })
  exchange: string;

  @Column('varchar', { length: 30 })
  symbol: string;

  @Column('varchar', { length: 10, default: 'live' })
  mode: TradingMode;

  @Column('varchar', { length: 20, default: 'strategy' })
  source: OrderSource;

  @Column('varchar', { length: 20 })
  orderType: OrderType;

  @Column('varchar', { length: 4 })
  side: OrderSide;

  @Column('numeric', { precision: 20, scale: 8 })
  quantity: string;

  @Column('numeric', { precision: 20, scale: 8, default: 0 })
  filledQuantity: string;

  @Column('numeric', { precision: 20, scale: 8, nullable: true })
  remainingQuantity: string | null;

  @Column('numeric', { precision: 20, scale: 8, nullable: true })
  price: string | null;

  @Column('numeric', { precision: 20, scale: 8, nullable: true })
  stopPrice: string | null;

  @Column('numeric', { precision: 20, scale: 8, nullable: true })
  avgFillPrice: string | null;

  @Column('varchar', { length: 20, default: 'pending' })
  status: OrderStatus;

  @Column('varchar', { length: 20, nullable: true })
  orderPurpose: OrderPurpose | null;

  @Column('uuid', { nullable: true })
  positionId: string | null;

  @Column('numeric', { precision: 20, scale: 8, default: 0 })
  fees: string;

  @Column('varchar', { length: 20, nullable: true })
  feeCurrency: string | null;

  @Column('text', { nullable: true })
  rejectionReason: string | null;

  /** Risk's reason codes when it denied the order. */
  @Column('text', { array: true, nullable: true })
  reasonCodes: string[] | null;

  @Column('varchar', { length: 50, nullable: true })
  errorCode: string | null;

  @Column('integer', { default: 0 })
  retryCount: number;

  @Column('jsonb', { nullable: true })
  orderMetadata: JsonObject | null;

  @Column('timestamptz', { default: () => 'now()' })
  createdAt: Date;

  @Column('timestamptz', { nullable: true })
  submittedAt: Date | null;

  @Column('timestamptz', { nullable: true })
  filledAt: Date | null;

  @Column('timestamptz', { nullable: true })
  cancelledAt: Date | null;

  @Column('timestamptz', { default: () => 'now()' })
  updatedAt: Date;
}
