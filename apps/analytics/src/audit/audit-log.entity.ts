import { Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';
import { JsonObject } from '../database/json-value';

/** Who did what to which resource (audit.audit_logs). */
@Entity({ schema: 'audit', name: 'audit_logs' })
@Unique('uq_audit_logs_event_id', ['eventId'])
@Index('idx_audit_logs_user_id', ['userId'])
@Index('idx_audit_logs_actor_user_id', ['actorUserId'])
@Index('idx_audit_logs_created_at', ['createdAt'])
@Index('idx_audit_logs_resource', ['resourceType', 'resourceId'])
@Index('idx_audit_logs_user_time', ['userId', 'createdAt', 'id'])
export class AuditLogEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_audit_logs' })
  id: string;

  /** The AuditRecorded event this row came from, so a redelivered event is stored once. */
  @Column('uuid', { nullable: true })
  eventId: string | null;

  /** The user the action concerns. */
  @Column('uuid', { nullable: true })
  userId: string | null;

  /** The user who acted (an admin acting on someone else's account), when known. */
  @Column('uuid', { nullable: true })
  actorUserId: string | null;

  @Column('varchar', { length: 50 })
  action: string;

  @Column('varchar', { length: 50, nullable: true })
  resourceType: string | null;

  @Column('varchar', { length: 100, nullable: true })
  resourceId: string | null;

  @Column('jsonb', { nullable: true })
  oldValues: JsonObject | null;

  @Column('jsonb', { nullable: true })
  newValues: JsonObject | null;

  @Column('inet', { nullable: true })
  ipAddress: string | null;

  @Column('text', { nullable: true })
  userAgent: string | null;

  @Column('varchar', { length: 100, nullable: true })
  requestId: string | null;

  @Column('timestamptz', { default: () => 'now()' })
  createdAt: Date;
}
