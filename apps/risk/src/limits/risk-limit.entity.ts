import { Check, Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';

export const RISK_SCOPES = ['global', 'user', 'bot'] as const;
export type RiskScope = (typeof RISK_SCOPES)[number];
export const LIMIT_TYPES = [
  'max_position_size',
  'max_position_pct',
  'max_open_positions',
  'max_exposure',
  'max_leverage',
  'max_daily_loss_pct',
  'max_weekly_loss_pct',
  'max_drawdown_pct',
  'max_trades_per_day',
  'daily_profit_target_pct',
  'cooldown_after_stop_loss_minutes',
] as const;
export type LimitType = (typeof LIMIT_TYPES)[number];
export const BREACH_ACTIONS = ['block', 'reduce', 'halt', 'flatten'] as const;
export type BreachAction = (typeof BREACH_ACTIONS)[number];

@Entity({ schema: 'risk', name: 'risk_limits' })
@Unique('uq_risk_limits_scope_type', ['scope', 'scopeId', 'limitType'])
@Check('valid_scope', `scope IN ('global', 'user', 'bot')`)
@Check('valid_scope_id', `(scope = 'global') = (scope_id IS NULL)`)
@Check(
  'valid_limit_type',
  `limit_type IN ('max_position_size', 'max_position_pct', 'max_open_positions', 'max_exposure', 'max_leverage', 'max_daily_loss_pct', 'max_weekly_loss_pct', 'max_drawdown_pct', 'max_trades_per_day', 'daily_profit_target_pct', 'cooldown_after_stop_loss_minutes')`,
)
@Check('valid_action_on_breach', `action_on_breach IN ('block', 'reduce', 'halt', 'flatten')`)
@Check('non_negative_value', `value >= 0`)
@Check('valid_warn_at_pcts', `0 < ALL (warn_at_pcts) AND 100 >= ALL (warn_at_pcts)`)
@Index('idx_risk_limits_scope', ['scope', 'scopeId'], { where: 'is_active' })
export class RiskLimitEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_risk_limits' })
  id: string;

  @Column('varchar', { length: 10 })
  scope: RiskScope;

  /** Bot or user id; null for the global scope. */
  @Column('uuid', { nullable: true })
  scopeId: string | null;

  @Column('varchar', { length: 40 })
  limitType: LimitType;

  /** In the limit's unit: quote currency, percent, count or minutes. */
  @Column('numeric', { precision: 20, scale: 8 })
  value: string;

  @Column('varchar', { length: 10, default: 'block' })
  actionOnBreach: BreachAction;

  /** Percent of the limit at which a warning is raised. node-postgres parses numeric[] into numbers; NUMERIC(5,2) values are exact as doubles. */
  @Column('numeric', { precision: 5, scale: 2, array: true, default: () => "'{80,95}'" })
  warnAtPcts: number[];

  @Column('boolean', { default: true })
  isActive: boolean;

  @Column('text', { nullable: true })
  description: string | null;

  @Column('varchar', { length: 100, nullable: true })
  updatedBy: string | null;

  @Column('timestamptz', { default: () => 'now()' })
  createdAt: Date;

  @Column('timestamptz', { default: () => 'now()' })
  updatedAt: Date;
}
