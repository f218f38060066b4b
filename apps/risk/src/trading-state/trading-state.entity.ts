import { Check, Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';
import type { RiskScope } from '../limits/risk-limit.entity';

export const TRADING_STATES = ['ACTIVE', 'REDUCING', 'HALTED'] as const;
export type TradingState = (typeof TRADING_STATES)[number];

/** The trading state of one scope; the global HALTED row is the kill switch. */
@Entity({ schema: 'risk', name: 'trading_states' })
@Unique('uq_trading_states_scope', ['scope', 'scopeId'])
@Check('valid_scope', `scope IN ('global', 'user', 'bot')`)
@Check('valid_scope_id', `(scope = 'global') = (scope_id IS NULL)`)
@Check('valid_state', `state IN ('ACTIVE', 'REDUCING', 'HALTED')`)
@Index('idx_trading_states_not_active', ['scope', 'scopeId'], { where: `state <> 'ACTIVE'` })
export class TradingStateEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_trading_states' })
  id: string;

  @Column('varchar', { length: 10 })
  scope: RiskScope;

  @Column('uuid', { nullable: true })
  scopeId: string | null;

  @Column('varchar', { length: 10, default: 'ACTIVE' })
  state: TradingState;

  @Column('text', { nullable: true })
  reason: string | null;

  @Column('varchar', { length: 100 })
  changedBy: string;

  @Column('timestamptz', { default: () => 'now()' })
  changedAt: Date;
}
