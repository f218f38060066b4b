import { Check, Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';

@Entity({ schema: 'trading', name: 'portfolios' })
@Unique('uq_portfolios_user_name', ['userId', 'name'])
@Check('chk_portfolios_name', `length(trim(name)) > 0`)
@Index('idx_portfolios_user_id', ['userId'])
@Index('uq_portfolios_user_default', ['userId'], { unique: true, where: 'is_default' })
export class PortfolioEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_portfolios' })
  id: string;

  @Column('uuid')
  userId: string;

  @Column('varchar', { length: 100 })
  name: string;

  @Column('text', { nullable: true })
  description: string | null;

  @Column('varchar', { length: 10, default: 'USDT' })
  baseCurrency: string;

  @Column('boolean', { default: false })
  isDefault: boolean;

  @Column('boolean', { default: true })
  isActive: boolean;

  @Column('timestamptz', { default: () => 'now()' })
  createdAt: Date;

  @Column('timestamptz', { default: () => 'now()' })
  updatedAt: Date;
}
