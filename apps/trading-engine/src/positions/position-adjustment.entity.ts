import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { JsonObject } from '../database/json-value';

/** A live position set by an operator to what the exchange account holds; one row per client request id. */
@Entity({ schema: 'trading', name: 'position_adjustments' })
@Check('position_adjustment_reduces', `to_quantity >= 0 AND to_quantity < from_quantity`)
@Check('position_adjustment_cost', `removed_cost >= 0`)
@Index('idx_position_adjustments_position', ['positionId', 'createdAt'])
export class PositionAdjustmentEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_position_adjustments' })
  requestId: string;

  @Column('uuid')
  positionId: string;

  @Column('uuid')
  botId: string;

  @Column('uuid')
  userId: string;

  @Column('uuid')
  actorUserId: string;

  @Column('varchar', { length: 50 })
  exchange: string;

  /** The key (its id) of the exchange account that holds the position. */
  @Column('uuid', { nullable: true })
  exchangeKeyId: string | null;

  @Column('varchar', { length: 30 })
  symbol: string;

  @Column('numeric', { precision: 20, scale: 8 })
  fromQuantity: string;

  @Column('numeric', { precision: 20, scale: 8 })
  toQuantity: string;

  /** The cost basis that left with the removed quantity, at the average entry price. */
  @Column('numeric', { precision: 28, scale: 8 })
  removedCost: string;

  @Column('numeric', { precision: 20, scale: 8 })
  avgEntryPrice: string;

  @Column('varchar', { length: 500 })
  reason: string;

  /** The balance drift reported for the asset when the adjustment was made, if any. */
  @Column('jsonb', { nullable: true })
  drift: JsonObject | null;

  @Column('timestamptz', { default: () => 'now()' })
  createdAt: Date;
}
