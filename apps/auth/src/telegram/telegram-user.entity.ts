import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn, Unique } from 'typeorm';
import { UserEntity } from '../users/user.entity';

export type TelegramUserStatus = 'active' | 'blocked' | 'banned' | 'pending';

@Entity({ schema: 'auth', name: 'telegram_users' })
@Unique('uq_telegram_users_telegram_id', ['telegramId'])
@Unique('uq_telegram_users_registration_code', ['registrationCode'])
@Check('chk_telegram_users_status', `status IN ('active', 'blocked', 'banned', 'pending')`)
@Index('idx_telegram_users_user_id', ['userId'])
@Index('idx_telegram_users_status', ['status'])
export class TelegramUserEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_telegram_users' })
  id: string;

  /** NULL until the Telegram account is linked to a platform user. */
  @ForeignKey(() => UserEntity, { name: 'fk_telegram_users_user', onDelete: 'SET NULL' })
  @Column('uuid', { nullable: true })
  userId: string | null;

  /** BIGINT: pg returns it as a string, which keeps ids above 2^53 exact. */
  @Column('bigint')
  telegramId: string;

  @Column('varchar', { length: 100, nullable: true })
  username: string | null;

  @Column('varchar', { length: 100, nullable: true })
  firstName: string | null;

  @Column('varchar', { length: 100, nullable: true })
  lastName: string | null;

  @Column('varchar', { length: 10, default: 'en' })
  languageCode: string;

  @Column('varchar', { length: 20, default: 'pending' })
  status: TelegramUserStatus;

  @Column('boolean', { default: false })
  isBotBlocked: boolean;

  @Column('boolean', { default: true })
  notificationsEnabled: boolean;

  @Column('jsonb', { nullable: true })
  notificationTypes: string[] | null;

  @Column('varchar', { length: 50, default: 'UTC' })
  timezone: string;

  @Column('varchar', { length: 10, default: 'USD' })
  preferredCurrency: string;

  @Column('integer', { default: 0 })
  totalMessages: number;

  @Column('integer', { default: 0 })
  totalCommands: number;

  @Column('timestamptz', { nullable: true })
  lastActivityAt: Date | null;

  @Column('varchar', { length: 50, nullable: true })
  registrationCode: string | null;

  @Column('boolean', { default: false })
  isVerified: boolean;

  @Column('timestamptz', { nullable: true })
  verifiedAt: Date | null;

  @Column('integer', { default: 0 })
  dailyMessageCount: number;

  @Column('integer', { default: 0 })
  dailyCommandCount: number;

  @Column('timestamptz', { nullable: true })
  rateLimitResetAt: Date | null;

  @Column('timestamptz', { default: () => 'now()' })
  createdAt: Date;

  @Column('timestamptz', { default: () => 'now()' })
  updatedAt: Date;
}
