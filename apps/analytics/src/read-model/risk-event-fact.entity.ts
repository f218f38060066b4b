import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One RiskLimitBreached event (id = its breach id). */
@Entity({ schema: 'analytics', name: 'risk_event_facts' })
@Check('valid_scope', `scope IN ('global', 'user', 'bot')`)
@Index('idx_risk_event_facts_unresolved', ['breachedAt'], { where: 'NOT resolved' })
export class RiskEventFactEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_risk_event_facts' })
  id: string;

  @Column('varchar', { length: 10 })
  scope: 'global' | 'user' | 'bot';

  @Column('uuid', { nullable: true })
  scopeId: string | null;

  @Column('uuid', { nullable: true })
  userId: string | null;

  @Column('varchar', { length: 40 })
  limitType: string;

  @Column('varchar', { length: 20 })
  action: string;

  @Column('numeric', { precision: 20, scale: 8 })
  currentValue: string;

  @Column('numeric', { precision: 20, scale: 8 })
  limitValue: string;

  @Column('text', { nullable: true })
  message: string | null;

  @Column('timestamptz')
  breachedAt: Date;

  @Column('boolean', { default: false })
  resolved: boolean;

  @Column('timestamptz', { nullable: true })
  resolvedAt: Date | null;

  @Column('timestamptz', { default: () => 'now()' })
  createdAt: Date;
}
