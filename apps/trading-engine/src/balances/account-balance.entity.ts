import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

export const SNAPSHOT_TYPES = ['periodic', 'trade_open', 'trade_close', 'deposit', 'withdrawal', 'manual'] as const;
export type SnapshotType = (typeof SNAPSHOT_TYPES)[number];

/** One point of a bot's balance history (alpha catalogue account_balance). */
@Entity({ schema: 'trading', name: 'account_balance' })
@Check('positive_total_balance', `total_balance >= 0`)
@Check('valid_available_balance', `available_balance >= 0`)
@Check('valid_locked_balance', `locked_balance >= 0`)
@Check(
  'valid_snapshot_type',
  `snapshot_type IN ('periodic', 'trade_open', 'trade_close', 'deposit', 'withdrawal', 'manual')`,
)
@Index('idx_balance_bot_id', ['botId'])
@Index('idx_balance_timestamp', ['timestamp'])
@Index('idx_balance_bot_time', ['botId', 'timestamp', 'id'])
export class AccountBalanceEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_account_balance' })
  id: string;

  @Column('uuid')
  botId: string;

  @Column('uuid')
  userId: string;

  @Column('varchar', { length: 20 })
  currency: string;

  @Column('numeric', { precision: 20, scale: 8 })
  totalBalance: string;

  @Column('numeric', { precision: 20, scale: 8 })
  availableBalance: string;

  @Column('numeric', { precision: 20, scale: 8, default: 0 })
  lockedBalance: string;

  @Column('numeric', { precision: 20, scale: 8 })
  equity: string;

  @Column('numeric', { precision: 20, scale: 8, default: 0 })
  marginUsed: string;

  @Column('numeric', { precision: 20, scale: 8, nullable: true })
  marginAvailable: string | null;

  @Column('numeric', { precision: 10, scale: 6, nullable: true })
  marginLevel: string | null;

  @Column('numeric', { precision: 20, scale: 8, default: 0 })
  unrealizedPnl: string;

  @Column('numeric', { precision: 28, scale: 8, default: 0 })
  realizedPnl: string;

  @Column('numeric', { precision: 20, scale: 8, default: 0 })
  dailyPnl: string;

  @Column('varchar', { length: 20, default: 'periodic' })
  snapshotType: SnapshotType;

  @Column('varchar', { length: 50, default: 'exchange' })
  dataSource: string;

  @Column('timestamptz', { default: () => 'now()' })
  timestamp: Date;

  @Column('timestamptz', { default: () => 'now()' })
  createdAt: Date;
}
