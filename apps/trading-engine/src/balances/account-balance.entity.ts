import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

export const SNAPSHOT_TYPES = ['periodic', 'trade_open', 'trade_close', 'deposit', 'withdrawal', 'manual', 'reconciliation', 'adjustment'] as const;
export type SnapshotType = (typeof SNAPSHOT_TYPES)[number];

/**
 * One point of balance history (alpha catalogue account_balance): a bot's ledger (bot_id set), or, snapshot type
 * `reconciliation`, what an exchange account (exchange_key_id, no bot) reported for one asset, next to what the
 * bots trading on it hold by the ledger (ledger_balance); snapshot type `adjustment`, a bot's asset after an operator
 * set its live position to what the exchange holds (trading.position_adjustments).
 */
@Entity({ schema: 'trading', name: 'account_balance' })
@Check('positive_total_balance', `total_balance >= 0`)
@Check('valid_available_balance', `available_balance >= 0`)
@Check('valid_locked_balance', `locked_balance >= 0`)
@Check(
  'valid_snapshot_type',
  `snapshot_type IN ('periodic', 'trade_open', 'trade_close', 'deposit', 'withdrawal', 'manual', 'reconciliation', 'adjustment')`,
)
@Check('account_balance_owner', `bot_id IS NOT NULL OR exchange_key_id IS NOT NULL`)
@Index('idx_balance_bot_id', ['botId'])
@Index('idx_balance_timestamp', ['timestamp'])
@Index('idx_balance_bot_time', ['botId', 'timestamp', 'id'])
@Index('idx_balance_exchange_key_time', ['exchangeKeyId', 'timestamp', 'id'], { where: 'exchange_key_id IS NOT NULL' })
export class AccountBalanceEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_account_balance' })
  id: string;

  /** Null on an exchange account's row (reconciliation). */
  @Column('uuid', { nullable: true })
  botId: string | null;

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

  /** Reconciliation rows: the exchange and the key (its id, never key material) of the account checked. */
  @Column('varchar', { length: 50, nullable: true })
  exchange: string | null;

  @Column('uuid', { nullable: true })
  exchangeKeyId: string | null;

  /** Reconciliation rows: what the account's live bots hold of the asset by the ledger; null when not compared. */
  @Column('numeric', { precision: 20, scale: 8, nullable: true })
  ledgerBalance: string | null;

  @Column('timestamptz', { default: () => 'now()' })
  timestamp: Date;

  @Column('timestamptz', { default: () => 'now()' })
  createdAt: Date;
}
