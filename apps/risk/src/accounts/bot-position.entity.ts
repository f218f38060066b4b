import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An open position of a bot as risk last saw it; signed quantity (short < 0). */
@Entity({ schema: 'risk', name: 'bot_positions' })
export class BotPositionEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_bot_positions' })
  botId: string;

  @PrimaryColumn('varchar', { length: 50, primaryKeyConstraintName: 'pk_bot_positions' })
  exchange: string;

  @PrimaryColumn('varchar', { length: 30, primaryKeyConstraintName: 'pk_bot_positions' })
  symbol: string;

  @Column('numeric', { precision: 28, scale: 8 })
  quantity: string;

  @Column('numeric', { precision: 28, scale: 8, nullable: true })
  avgEntryPrice: string | null;

  @Column('numeric', { precision: 28, scale: 8, nullable: true })
  markPrice: string | null;

  @Column('numeric', { precision: 28, scale: 8, default: 0 })
  unrealizedPnl: string;

  @Column('timestamptz')
  changedAt: Date;
}
