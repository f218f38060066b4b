import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn, Unique } from 'typeorm';
import { JsonObject } from '../database/json';
import { UserEntity } from '../users/user.entity';

/** One refresh token (stored as its SHA-256 hex); rotation links tokens of one login through family_id. */
@Entity({ schema: 'auth', name: 'user_sessions' })
@Unique('uq_user_sessions_token_hash', ['tokenHash'])
@Check('chk_user_sessions_token_hash', `token_hash ~ '^[0-9a-f]{64}$'`)
@Index('idx_user_sessions_user_id', ['userId'])
@Index('idx_user_sessions_family_id', ['familyId'])
@Index('idx_user_sessions_expires_at', ['expiresAt'])
export class UserSessionEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_user_sessions' })
  id: string;

  @ForeignKey(() => UserEntity, { name: 'fk_user_sessions_user', onDelete: 'CASCADE' })
  @Column('uuid')
  userId: string;

  @Column('varchar', { length: 64 })
  tokenHash: string;

  @Column('uuid')
  familyId: string;

  @Column('timestamptz')
  expiresAt: Date;

  @Column('timestamptz', { nullable: true })
  revokedAt: Date | null;

  @ForeignKey(() => UserSessionEntity, { name: 'fk_user_sessions_replaced_by', onDelete: 'SET NULL' })
  @Column('uuid', { nullable: true })
  replacedBy: string | null;

  @Column('inet', { nullable: true })
  ipAddress: string | null;

  @Column('text', { nullable: true })
  userAgent: string | null;

  @Column('jsonb', { nullable: true })
  deviceInfo: JsonObject | null;

  @Column('timestamptz', { default: () => 'now()' })
  createdAt: Date;

  @Column('timestamptz', { default: () => 'now()' })
  lastUsedAt: Date;
}
