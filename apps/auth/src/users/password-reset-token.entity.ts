import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn, Unique } from 'typeorm';
import { UserEntity } from './user.entity';

@Entity({ schema: 'auth', name: 'password_reset_tokens' })
@Unique('uq_password_reset_tokens_token_hash', ['tokenHash'])
@Check('chk_password_reset_tokens_token_hash', `token_hash ~ '^[0-9a-f]{64}$'`)
@Index('idx_password_reset_tokens_user_id', ['userId'])
export class PasswordResetTokenEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_password_reset_tokens' })
  id: string;

  @ForeignKey(() => UserEntity, { name: 'fk_password_reset_tokens_user', onDelete: 'CASCADE' })
  @Column('uuid')
  userId: string;

  @Column('varchar', { length: 64 })
  tokenHash: string;

  @Column('timestamptz')
  expiresAt: Date;

  @Column('timestamptz', { nullable: true })
  usedAt: Date | null;

  @Column('inet', { nullable: true })
  requestedIp: string | null;

  @Column('timestamptz', { default: () => 'now()' })
  createdAt: Date;
}
