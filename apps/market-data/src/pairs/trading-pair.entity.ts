import { Check, Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';

export type MarketType = 'spot' | 'futures';

/** A market on one exchange with the filters orders must respect. Numerics are decimal strings. */
@Entity({ schema: 'market', name: 'trading_pairs' })
@Unique('uq_trading_pairs_exchange_symbol', ['exchange', 'symbol'])
@Check('chk_trading_pairs_symbol', `symbol = base || '/' || quote OR symbol LIKE base || '/' || quote || ':%'`)
@Check('chk_trading_pairs_market_type', `market_type IN ('spot', 'futures')`)
@Check('chk_trading_pairs_precision', `price_precision BETWEEN 0 AND 18 AND quantity_precision BETWEEN 0 AND 18`)
@Check('chk_trading_pairs_increments', `(tick_size IS NULL OR tick_size > 0) AND (step_size IS NULL OR step_size > 0)`)
@Check(
  'chk_trading_pairs_order_size',
  `(min_order_size IS NULL OR min_order_size >= 0) AND (max_order_size IS NULL OR min_order_size IS NULL OR max_order_size >= min_order_size) AND (min_notional IS NULL OR min_notional >= 0)`,
)
@Check('chk_trading_pairs_fees', `maker_fee > -1 AND maker_fee < 1 AND taker_fee >= 0 AND taker_fee < 1`)
@Index('idx_trading_pairs_exchange_active', ['exchange', 'isActive'])
@Index('idx_trading_pairs_symbol', ['symbol'])
export class TradingPairEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_trading_pairs' })
  id: string;

  @Column('varchar', { length: 50 })
  exchange: string;

  /** Unified ccxt symbol, e.g. `BTC/USDT` or `BTC/USDT:USDT`. */
  @Column('varchar', { length: 40 })
  symbol: string;

  @Column('varchar', { length: 20 })
  base: string;

  @Column('varchar', { length: 20 })
  quote: string;

  @Column('varchar', { length: 10, default: 'spot' })
  marketType: MarketType;

  /** The exchange's own id for the market, e.g. `BTCUSDT`. */
  @Column('varchar', { length: 40, nullable: true })
  exchangeSymbol: string | null;

  @Column('boolean', { default: true })
  isActive: boolean;

  @Column('integer', { default: 8 })
  pricePrecision: number;

  @Column('integer', { default: 8 })
  quantityPrecision: number;

  @Column('numeric', { precision: 20, scale: 8, nullable: true })
  tickSize: string | null;

  @Column('numeric', { precision: 20, scale: 8, nullable: true })
  stepSize: string | null;

  @Column('numeric', { precision: 20, scale: 8, nullable: true })
  minOrderSize: string | null;

  @Column('numeric', { precision: 20, scale: 8, nullable: true })
  maxOrderSize: string | null;

  @Column('numeric', { precision: 20, scale: 8, nullable: true })
  minNotional: string | null;

  @Column('numeric', { precision: 6, scale: 4, default: () => '0.001' })
  makerFee: string;

  @Column('numeric', { precision: 6, scale: 4, default: () => '0.001' })
  takerFee: string;

  @Column('timestamptz', { default: () => 'now()' })
  createdAt: Date;

  @Column('timestamptz', { default: () => 'now()' })
  updatedAt: Date;
}
