import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

export const BOT_FACT_STATUSES = ['created', 'running', 'paused', 'stopped', 'halted', 'error', 'archived'] as const;
export type BotFactStatus = (typeof BOT_FACT_STATUSES)[number];

/** A bot as analytics knows it from bot events. */
@Entity({ schema: 'analytics', name: 'bot_facts' })
@Check('valid_mode', `mode IS NULL OR mode IN ('live', 'paper', 'backtest')`)
@Check('positive_initial_capital', `initial_capital IS NULL OR initial_capital > 0`)
@Check('valid_status', `status IN ('created', 'running', 'paused', 'stopped', 'halted', 'error', 'archived')`)
@Index('idx_bot_facts_user_id', ['userId'])
@Index('idx_bot_facts_status', ['status'])
export class BotFactEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_bot_facts' })
  botId: string;

  @Column('uuid')
  userId: string;

  @Column('varchar', { length: 100, nullable: true })
  name: string | null;

  @Column('varchar', { length: 50, nullable: true })
  strategy: string | null;

  @Column('varchar', { length: 10, nullable: true })
  mode: 'live' | 'paper' | 'backtest' | null;

  @Column('varchar', { length: 20 })
  status: BotFactStatus;

  @Column('numeric', { precision: 20, scale: 8, nullable: true })
  currentEquity: string | null;

  /** The bot's capital from its latest bot event; null until one carried it (the default capital applies). */
  @Column('numeric', { precision: 20, scale: 8, nullable: true })
  initialCapital: string | null;

  @Column('timestamptz')
  changedAt: Date;

  @Column('timestamptz', { default: () => 'now()' })
  updatedAt: Date;
}
