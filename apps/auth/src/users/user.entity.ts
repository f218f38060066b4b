import { Check, Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';
import { JsonObject } from '../database/json';

export type UserRole = 'admin' | 'trader' | 'viewer';

@Entity({ schema: 'auth', name: 'users' })
@Unique('uq_users_email', ['email'])
@Unique('uq_users_username', ['username'])
@Check('chk_users_role', `role IN ('admin', 'trader', 'viewer')`)
@Check('chk_users_email_lowercase', `email = lower(email)`)
@Check('chk_users_failed_login_attempts', `failed_login_attempts >= 0`)
@Check('chk_users_two_factor_secret', `NOT two_factor_enabled OR two_factor_secret IS NOT NULL`)
@Index('idx_users_active', ['isActive'])
@Index('idx_users_created_at', ['createdAt'])
export class UserEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_users' })
  id: string;

  @Column('varchar', { length: 255 })
  email: string;

  @Column('varchar', { length: 100, nullable: true })
  username: string | null;

  @Column('varchar', { length: 255 })
  passwordHash: string;

  @Column('varchar', { length: 100, nullable: true })
  firstName: string | null;

  @Column('varchar', { length: 100, nullable: true })
  lastName: string | null;

  @Column('varchar', { length: 20, nullable: true })
  phone: string | null;

  @Column('varchar', { length: 20, default: 'trader' })
  role: UserRole;

  @Column('boolean', { default: true })
  isActive: boolean;

  @Column('boolean', { default: false })
  emailVerified: boolean;

  @Column('boolean', { default: false })
  isPremium: boolean;

  @Column('boolean', { default: false })
  twoFactorEnabled: boolean;

  /** Encrypted by the service; never the plain TOTP secret. */
  @Column('text', { nullable: true })
  twoFactorSecret: string | null;

  @Column('integer', { default: 0 })
  failedLoginAttempts: number;

  @Column('timestamptz', { nullable: true })
  lockedUntil: Date | null;

  @Column('jsonb', { default: {} })
  preferences: JsonObject;

  @Column('jsonb', { default: {} })
  tradingLimits: JsonObject;

  @Column('varchar', { length: 50, default: 'UTC' })
  timezone: string;

  @Column('varchar', { length: 10, default: 'USD' })
  preferredCurrency: string;

  @Column('timestamptz', { nullable: true })
  lastLoginAt: Date | null;

  @Column('timestamptz', { nullable: true })
  lastActivityAt: Date | null;

  @Column('timestamptz', { default: () => 'now()' })
  createdAt: Date;

  @Column('timestamptz', { default: () => 'now()' })
  updatedAt: Date;
}
