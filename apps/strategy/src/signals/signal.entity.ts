import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn, Unique } from 'typeorm';
import { BotEntity } from '../bots/bot.entity';
import { JsonObject } from '../database/json';

export type SignalType = 'long' | 'short' | 'close_long' | 'close_short' | 'hold';
export type SignalTarget = 'long' | 'short' | 'flat';
export type SignalOutcome = 'winner' | 'loser' | 'breakeven' | 'not_executed';

/** A signal a bot's strategy produced on a closed candle; `id` is deterministic (same candle, same id). */
@Entity({ schema: 'strategy', name: 'signals' })
@Unique('uq_signals_bot_candle_target', ['botId', 'candleTime', 'target'])
@Check('chk_signals_signal_type', `signal_type IN ('long', 'short', 'close_long', 'close_short', 'hold')`)
@Check('chk_signals_target', `target IN ('long', 'short', 'flat')`)
@Check('chk_signals_strength', `strength >= 0 AND strength <= 1`)
@Check('chk_signals_confidence', `confidence IS NULL OR (confidence >= 0 AND confidence <= 1)`)
@Check('chk_signals_price', `price > 0`)
@Check('chk_signals_rejection', `NOT rejected OR rejection_reason IS NOT NULL`)
@Check('chk_signals_executed', `NOT (executed AND rejected)`)
@Check('chk_signals_outcome', `outcome IS NULL OR outcome IN ('winner', 'loser', 'breakeven', 'not_executed')`)
@Index('idx_signals_user_created', ['userId', 'createdAt'])
@Index('idx_signals_market_candle', ['exchange', 'symbol', 'candleTime'])
export class SignalEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_signals' })
  id: string;

  @ForeignKey(() => BotEntity, { name: 'fk_signals_bot', onDelete: 'CASCADE' })
  @Column('uuid')
  botId: string;

  @Column('uuid')
  userId: string;

  @Column('varchar', { length: 50 })
  strategy: string;

  @Column('varchar', { length: 50 })
  exchange: string;

  @Column('varchar', { length: 40 })
  symbol: string;

  @Column('varchar', { length: 10 })
  timeframe: string;

  @Column('timestamptz')
  candleTime: Date;

  @Column('varchar', { length: 20 })
  signalType: SignalType;

  @Column('varchar', { length: 5 })
  target: SignalTarget;

  @Column('numeric', { precision: 5, scale: 4, default: 1 })
  strength: string;

  @Column('numeric', { precision: 5, scale: 4, nullable: true })
  confidence: string | null;

  @Column('numeric', { precision: 20, scale: 8 })
  price: string;

  @Column('numeric', { precision: 20, scale: 8, nullable: true })
  suggestedStopLoss: string | null;

  @Column('numeric', { precision: 20, scale: 8, nullable: true })
  suggestedTakeProfit: string | null;

  @Column('numeric', { precision: 20, scale: 8, nullable: true })
  suggestedPositionSize: string | null;

  @Column('timestamptz', { nullable: true })
  validUntil: Date | null;

  @Column('jsonb', { nullable: true })
  indicators: JsonObject | null;

  @Column('jsonb', { nullable: true })
  marketConditions: JsonObject | null;

  @Column('jsonb', { nullable: true })
  passedFilters: JsonObject | null;

  @Column('boolean', { default: false })
  rejected: boolean;

  @Column('varchar', { length: 100, nullable: true })
  rejectionReason: string | null;

  @Column('text', { array: true, default: () => "'{}'" })
  reasonCodes: string[];

  @Column('boolean', { default: false })
  executed: boolean;

  @Column('timestamptz', { nullable: true })
  executionTime: Date | null;

  @Column('varchar', { length: 100, nullable: true })
  executionOrderId: string | null;

  @Column('varchar', { length: 20, nullable: true })
  outcome: SignalOutcome | null;

  @Column('numeric', { precision: 20, scale: 8, nullable: true })
  outcomePnl: string | null;

  @Column('text', { nullable: true })
  notes: string | null;

  @Column('timestamptz', { default: () => 'now()' })
  createdAt: Date;
}
