import { Check, Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';
import { JsonObject } from '../database/json-value';

export const SYSTEM_EVENT_TYPES = [
  'SYSTEM_START',
  'SYSTEM_STOP',
  'BOT_START',
  'BOT_STOP',
  'CONFIG_CHANGE',
  'RISK_BREACH',
  'ERROR',
  'WARNING',
  'INFO',
  'TRADE',
  'ORDER',
  'DATA_GAP',
] as const;
export type SystemEventType = (typeof SYSTEM_EVENT_TYPES)[number];
export const SYSTEM_EVENT_LEVELS = ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'] as const;
export type SystemEventLevel = (typeof SYSTEM_EVENT_LEVELS)[number];

/** Operational events of the platform (alpha catalogue audit.system_events). */
@Entity({ schema: 'audit', name: 'system_events' })
@Unique('uq_system_events_event_id', ['eventId'])
@Check('valid_event_level', `event_level IN ('DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL')`)
@Check(
  'valid_event_type',
  `event_type IN ('SYSTEM_START', 'SYSTEM_STOP', 'BOT_START', 'BOT_STOP', 'CONFIG_CHANGE', 'RISK_BREACH', 'ERROR', 'WARNING', 'INFO', 'TRADE', 'ORDER', 'DATA_GAP')`,
)
@Index('idx_events_time', ['eventTime'])
@Index('idx_events_level', ['eventLevel'])
@Index('idx_events_bot_id', ['botId'])
@Index('idx_events_type', ['eventType'])
@Index('idx_events_bot_time', ['botId', 'eventTime'])
@Index('idx_events_details', ['details'])
export class SystemEventEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_system_events' })
  id: string;

  @Column('uuid', { nullable: true })
  eventId: string | null;

  @Column('timestamptz', { default: () => 'now()' })
  eventTime: Date;

  @Column('varchar', { length: 50 })
  eventType: SystemEventType;

  @Column('varchar', { length: 20 })
  eventLevel: SystemEventLevel;

  @Column('uuid', { nullable: true })
  botId: string | null;

  @Column('varchar', { length: 50, nullable: true })
  component: string | null;

  @Column('text')
  message: string;

  @Column('jsonb', { nullable: true })
  details: JsonObject | null;

  @Column('varchar', { length: 30, nullable: true })
  symbol: string | null;

  @Column('varchar', { length: 100, nullable: true })
  orderId: string | null;

  @Column('varchar', { length: 100, nullable: true })
  tradeId: string | null;

  @Column('varchar', { length: 50, nullable: true })
  errorCode: string | null;

  @Column('text', { nullable: true })
  stackTrace: string | null;

  @Column('timestamptz', { default: () => 'now()' })
  createdAt: Date;
}
