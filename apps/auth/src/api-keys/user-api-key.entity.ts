import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn, Unique } from 'typeorm';
import { UserEntity } from '../users/user.entity';

/** Exchange credentials, encrypted by the service; `keyId` names the master key that encrypted them. */
@Entity({ schema: 'auth', name: 'user_api_keys' })
@Unique('uq_user_api_keys_user_exchange_testnet_label', ['userId', 'exchange', 'isTestnet', 'label'])
@Check('chk_user_api_keys_api_key_encrypted', `length(api_key_encrypted) > 0`)
@Check('chk_user_api_keys_secret_encrypted', `length(secret_encrypted) > 0`)
@Check('chk_user_api_keys_passphrase_encrypted', `passphrase_encrypted IS NULL OR length(passphrase_encrypted) > 0`)
@Check('chk_user_api_keys_label', `length(label) > 0`)
@Index('idx_user_api_keys_user_id', ['userId'])
export class UserApiKeyEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_user_api_keys' })
  id: string;

  @ForeignKey(() => UserEntity, { name: 'fk_user_api_keys_user', onDelete: 'CASCADE' })
  @Column('uuid')
  userId: string;

  @Column('varchar', { length: 50 })
  exchange: string;

  @Column('varchar', { length: 100, default: 'default' })
  label: string;

  @Column('text')
  apiKeyEncrypted: string;

  @Column('text')
  secretEncrypted: string;

  @Column('text', { nullable: true })
  passphraseEncrypted: string | null;

  @Column('varchar', { length: 64 })
  keyId: string;

  /** Shown to the user instead of the key, e.g. `abcd…wxyz`. */
  @Column('varchar', { length: 32 })
  apiKeyMasked: string;

  @Column('boolean', { default: false })
  isTestnet: boolean;

  @Column('boolean', { default: true })
  isActive: boolean;

  @Column('boolean', { nullable: true })
  isValid: boolean | null;

  @Column('timestamptz', { nullable: true })
  lastValidatedAt: Date | null;

  @Column('timestamptz', { nullable: true })
  lastUsedAt: Date | null;

  @Column('timestamptz', { default: () => 'now()' })
  createdAt: Date;

  @Column('timestamptz', { default: () => 'now()' })
  updatedAt: Date;
}
