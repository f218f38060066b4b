import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One point of a bot's equity curve. */
@Entity({ schema: 'analytics', name: 'equity_points' })
export class EquityPointEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_equity_points' })
  botId: string;

  @PrimaryColumn('timestamptz', { primaryKeyConstraintName: 'pk_equity_points' })
  time: Date;

  @Column('numeric', { precision: 20, scale: 8 })
  equity: string;
}
