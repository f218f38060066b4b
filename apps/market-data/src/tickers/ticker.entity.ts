import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** The latest ticker per market (history goes to InfluxDB, not here). */
@Entity({ schema: 'market', name: 'tickers' })
@Check(
  'chk_tickers_positive_prices',
  `last > 0 AND (bid IS NULL OR bid > 0) AND (ask IS NULL OR ask > 0) AND (high IS NULL OR high > 0) AND (low IS NULL OR low > 0)`,
)
@Check('chk_tickers_non_negative_volume', `(base_volume IS NULL OR base_volume >= 0) AND (quote_volume IS NULL OR quote_volume >= 0)`)
@Index('idx_tickers_symbol', ['symbol'])
export class TickerEntity {
  @PrimaryColumn('varchar', { length: 50, primaryKeyConstraintName: 'pk_tickers' })
  exchange: string;

  @PrimaryColumn('varchar', { length: 40, primaryKeyConstraintName: 'pk_tickers' })
  symbol: string;

  @Column('numeric', { precision: 20, scale: 8 })
  last: string;

  @Column('numeric', { precision: 20, scale: 8, nullable: true })
  bid: string | null;

  @Column('numeric', { precision: 20, scale: 8, nullable: true })
  ask: string | null;

  @Column('numeric', { precision: 20, scale: 8, nullable: true })
  high: string | null;

  @Column('numeric', { precision: 20, scale: 8, nullable: true })
  low: string | null;

  @Column('numeric', { precision: 20, scale: 8, nullable: true })
  baseVolume: string | null;

  @Column('numeric', { precision: 20, scale: 8, nullable: true })
  quoteVolume: string | null;

  /** Absolute price change over 24 h. */
  @Column('numeric', { precision: 20, scale: 8, nullable: true })
  change: string | null;

  /** Price change over 24 h in percent. */
  @Column('numeric', { precision: 10, scale: 4, nullable: true })
  percentage: string | null;

  /** Exchange time of the ticker. */
  @Column('timestamptz')
  time: Date;

  @Column('timestamptz', { default: () => 'now()' })
  updatedAt: Date;
}
