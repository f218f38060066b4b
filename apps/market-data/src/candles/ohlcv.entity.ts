import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type CandleSource = 'exchange' | 'replay' | 'aggregated' | 'backfill';

/**
 * Maps the partitioned parent market.ohlcv (monthly partitions and the default partition are created by
 * migrations and market.ensure_ohlcv_partitions, not by TypeORM). The PK includes the partition key.
 */
@Entity({ schema: 'market', name: 'ohlcv' })
@Check('chk_ohlcv_valid_ohlc', `high >= low AND high >= open AND high >= close AND low <= open AND low <= close`)
@Check('chk_ohlcv_positive_prices', `open > 0 AND high > 0 AND low > 0 AND close > 0`)
@Check(
  'chk_ohlcv_non_negative_volume',
  `volume >= 0 AND (quote_volume IS NULL OR quote_volume >= 0) AND (taker_buy_volume IS NULL OR taker_buy_volume >= 0) AND (trades_count IS NULL OR trades_count >= 0)`,
)
@Check('chk_ohlcv_source', `source IN ('exchange', 'replay', 'aggregated', 'backfill')`)
@Index('idx_ohlcv_open_time', ['openTime'])
export class OhlcvEntity {
  @PrimaryColumn('varchar', { length: 50, primaryKeyConstraintName: 'pk_ohlcv' })
  exchange: string;

  @PrimaryColumn('varchar', { length: 40, primaryKeyConstraintName: 'pk_ohlcv' })
  symbol: string;

  @PrimaryColumn('varchar', { length: 10, primaryKeyConstraintName: 'pk_ohlcv' })
  timeframe: string;

  @PrimaryColumn('timestamptz', { primaryKeyConstraintName: 'pk_ohlcv' })
  openTime: Date;

  @Column('numeric', { precision: 20, scale: 8 })
  open: string;

  @Column('numeric', { precision: 20, scale: 8 })
  high: string;

  @Column('numeric', { precision: 20, scale: 8 })
  low: string;

  @Column('numeric', { precision: 20, scale: 8 })
  close: string;

  @Column('numeric', { precision: 20, scale: 8 })
  volume: string;

  @Column('numeric', { precision: 20, scale: 8, nullable: true })
  quoteVolume: string | null;

  @Column('integer', { nullable: true })
  tradesCount: number | null;

  @Column('numeric', { precision: 20, scale: 8, nullable: true })
  takerBuyVolume: string | null;

  @Column('varchar', { length: 20, default: 'exchange' })
  source: CandleSource;

  @Column('timestamptz', { default: () => 'now()' })
  createdAt: Date;
}
