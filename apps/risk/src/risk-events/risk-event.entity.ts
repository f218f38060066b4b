import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { RiskLimitEntity, RiskScope } from '../limits/risk-limit.entity';

export type RiskSeverity = 'warning' | 'breach';

/** A limit approached (warning) or crossed (breach), and what risk did about it. */
@Entity({ schema: 'risk', name: 'risk_events' })
@Check('valid_scope', `scope IN ('global', 'user', 'bot')`)
@Check('valid_scope_owner', `(scope <> 'bot' OR bot_id IS NOT NULL) AND (scope <> 'user' OR user_id IS NOT NULL)`)
@Check('valid_severity', `severity IN ('warning', 'breach')`)
@Check('valid_counts', `positions_affected >= 0 AND trades_cancelled >= 0`)
@Check('valid_resolution', `NOT resolved OR resolved_at IS NOT NULL`)
@Index('idx_risk_events_bot_id', ['botId'])
@Index('idx_risk_events_user_id', ['userId'])
@Index('idx_risk_events_time', ['eventTime'])
@Index('idx_risk_events_type', ['riskType'])
@Index('idx_risk_events_resolved', ['resolved'])
@Index('idx_risk_events_limit_id', ['limitId'], { where: 'limit_id IS NOT NULL' })
@Index('idx_risk_events_bot_time', ['botId', 'eventTime', 'id'])
@Index('uq_risk_events_crossing_key', ['crossingKey'], { unique: true, where: 'crossing_key IS NOT NULL' })
export class RiskEventEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_risk_events' })
  id: string;

  @Column('timestamptz', { default: () => 'now()' })
  eventTime: Date;

  @Column('varchar', { length: 10 })
  scope: RiskScope;

  @Column('uuid', { nullable: true })
  botId: string | null;

  @Column('uuid', { nullable: true })
  userId: string | null;

  @Column('uuid', { nullable: true })
  limitId: string | null;

  @ManyToOne(() => RiskLimitEntity, { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'limit_id', foreignKeyConstraintName: 'fk_risk_events_limit' })
  limit?: RiskLimitEntity | null;

  @Column('varchar', { length: 50 })
  riskType: string;

  @Column('numeric', { precision: 20, scale: 8 })
  currentValue: string;

  @Column('numeric', { precision: 20, scale: 8 })
  limitValue: string;

  /** current / limit in percent (e.g. 95.00). */
  @Column('numeric', { precision: 5, scale: 2, nullable: true })
  thresholdPct: string | null;

  @Column('varchar', { length: 10 })
  severity: RiskSeverity;

  @Column('varchar', { length: 100 })
  actionTaken: string;

  @Column('text', { nullable: true })
  message: string | null;

  @Column('integer', { default: 0 })
  positionsAffected: number;

  @Column('integer', { default: 0 })
  tradesCancelled: number;

  @Column('boolean', { default: false })
  resolved: boolean;

  @Column('timestamptz', { nullable: true })
  resolvedAt: Date | null;

  @Column('text', { nullable: true })
  resolutionNotes: string | null;

  @Column('timestamptz', { default: () => 'now()' })
  createdAt: Date;

  /**
   * The monitored crossing (limit, subject, period, level) this event reported, so each is reported once by whichever
   * instance sees it first; cleared when its scope is set back to ACTIVE (re-armed).
   */
  @Column('varchar', { length: 200, nullable: true })
  crossingKey: string | null;
}
