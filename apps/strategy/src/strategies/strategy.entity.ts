import { Check, Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';
import { JsonObject } from '../database/json';

/** A strategy definition: built-in (user_id NULL) or a user's own, with its default parameters. */
@Entity({ schema: 'strategy', name: 'strategies' })
@Unique('uq_strategies_user_name', ['userId', 'name'])
@Check('chk_strategies_name', `length(btrim(name)) > 0`)
@Index('idx_strategies_user_id', ['userId'])
@Index('idx_strategies_type', ['strategyType'])
export class StrategyEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_strategies' })
  id: string;

  @Column('uuid', { nullable: true })
  userId: string | null;

  @Column('varchar', { length: 100 })
  name: string;

  @Column('text', { nullable: true })
  description: string | null;

  /** The implementation in @trading/strategies, e.g. `ema_rsi`, `sma_cross`. */
  @Column('varchar', { length: 50 })
  strategyType: string;

  @Column('jsonb', { default: {} })
  parameters: JsonObject;

  @Column('jsonb', { default: {} })
  riskSettings: JsonObject;

  @Column('boolean', { default: false })
  isActive: boolean;

  @Column('boolean', { default: false })
  isBacktested: boolean;

  @Column('jsonb', { nullable: true })
  backtestResults: JsonObject | null;

  @Column('timestamptz', { default: () => 'now()' })
  createdAt: Date;

  @Column('timestamptz', { default: () => 'now()' })
  updatedAt: Date;
}
