import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Current free/locked amount of one currency held by one bot. */
@Entity({ schema: 'trading', name: 'balances' })
@Check('valid_balance', `free >= 0 AND locked >= 0`)
@Index('idx_balances_user_id', ['userId'])
export class BalanceEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_balances' })
  botId: string;

  @PrimaryColumn('varchar', { length: 20, primaryKeyConstraintName: 'pk_balances' })
  currency: string;

  @Column('uuid')
  userId: string;

  @Column('numeric', { precision: 20, scale: 8, default: 0 })
  free: string;

  @Column('numeric', { precision: 20, scale: 8, default: 0 })
  locked: string;

  @Column('timestamptz', { default: () => 'now()' })
  updatedAt: Date;
}
