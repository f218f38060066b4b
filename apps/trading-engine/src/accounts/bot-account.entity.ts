import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { JsonObject } from '../database/json-value';
import { TradingMode } from '../orders/order.entity';

export type MarketType = 'spot' | 'futures';

/** The engine's account of one bot: status, exact cash ledger and (paper mode) the paper exchange account. */
@Entity({ schema: 'trading', name: 'bot_accounts' })
@Check('valid_bot_account_mode', `mode IN ('live', 'paper')`)
@Check('valid_bot_account_market_type', `market_type IN ('spot', 'futures')`)
@Check('non_negative_cash', `cash >= 0`)
@Index('idx_bot_accounts_user_id', ['userId'])
export class BotAccountEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_bot_accounts' })
  botId: string;

  @Column('uuid')
  userId: string;

  @Column('varchar', { length: 20, default: 'running' })
  status: string;

  @Column('varchar', { length: 10, default: 'paper' })
  mode: TradingMode;

  @Column('varchar', { length: 10, default: 'spot' })
  marketType: MarketType;

  @Column('varchar', { length: 50 })
  exchange: string;

  @Column('varchar', { length: 20 })
  quoteCurrency: string;

  @Column('numeric')
  initialCapital: string;

  /** Exact quote cash (unconstrained NUMERIC). */
  @Column('numeric')
  cash: string;

  @Column('jsonb', { nullable: true })
  paperSnapshot: JsonObject | null;

  /** Candle time of the newest signal applied. */
  @Column('timestamptz', { nullable: true })
  lastSignalAt: Date | null;

  @Column('timestamptz', { default: () => 'now()' })
  createdAt: Date;

  @Column('timestamptz', { default: () => 'now()' })
  updatedAt: Date;
}
