import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn, Unique } from 'typeorm';
import { JsonObject } from '../database/json';
import { BotEntity } from './bot.entity';

/** One version of a bot's whole configuration; the open version (effective_until NULL) is the current one. */
@Entity({ schema: 'strategy', name: 'bot_configurations' })
@Unique('uq_bot_configurations_bot_version', ['botId', 'version'])
@Check('chk_bot_configurations_version', `version >= 1`)
@Check('chk_bot_configurations_period', `effective_until IS NULL OR effective_until >= effective_from`)
@Index('uq_bot_configurations_current', ['botId'], { unique: true, where: `effective_until IS NULL` })
export class BotConfigurationEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_bot_configurations' })
  id: string;

  @ForeignKey(() => BotEntity, { name: 'fk_bot_configurations_bot', onDelete: 'CASCADE' })
  @Column('uuid')
  botId: string;

  @Column('integer')
  version: number;

  @Column('jsonb')
  config: JsonObject;

  @Column('text', { nullable: true })
  changeReason: string | null;

  @Column('timestamptz', { default: () => 'now()' })
  effectiveFrom: Date;

  @Column('timestamptz', { nullable: true })
  effectiveUntil: Date | null;

  /** A user id or 'system'. */
  @Column('varchar', { length: 100, default: 'system' })
  createdBy: string;

  @Column('timestamptz', { default: () => 'now()' })
  createdAt: Date;
}
