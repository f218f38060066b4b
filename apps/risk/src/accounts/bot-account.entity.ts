import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Risk's read model of a bot's account (see CreateBotAccountsAndPositions). */
@Entity({ schema: 'risk', name: 'bot_accounts' })
@Check('non_negative_day_trades', `day_trades >= 0 AND day_wins >= 0 AND day_losses >= 0`)
@Index('idx_bot_accounts_user_id', ['userId'])
export class BotAccountEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_bot_accounts' })
  botId: string;

  @Column('uuid')
  userId: string;

  @Column('numeric', { precision: 28, scale: 8 })
  startingEquity: string;

  @Column('numeric', { precision: 28, scale: 8, default: 0 })
  realizedPnl: string;

  @Column('numeric', { precision: 28, scale: 8 })
  peakEquity: string;

  @Column('date')
  day: string;

  @Column('numeric', { precision: 28, scale: 8 })
  dayStartEquity: string;

  @Column('integer', { default: 0 })
  dayTrades: number;

  @Column('integer', { default: 0 })
  dayWins: number;

  @Column('integer', { default: 0 })
  dayLosses: number;

  @Column('numeric', { precision: 28, scale: 8, default: 0 })
  dayGrossProfit: string;

  @Column('numeric', { precision: 28, scale: 8, default: 0 })
  dayGrossLoss: string;

  @Column('numeric', { precision: 28, scale: 8, default: 0 })
  dayLargestWin: string;

  @Column('numeric', { precision: 28, scale: 8, default: 0 })
  dayLargestLoss: string;

  @Column('date')
  weekStart: string;

  @Column('numeric', { precision: 28, scale: 8 })
  weekStartEquity: string;

  @Column('timestamptz', { nullable: true })
  lastLossAt: Date | null;

  @Column('timestamptz', { default: () => 'now()' })
  updatedAt: Date;

  /** The last events:trades entry this row holds (stream entry id); rows are only replaced by a later one. */
  @Column('varchar', { length: 41, nullable: true })
  tradesEntryId: string | null;

  /** Ids of the last TradeExecuted events applied (a re-published event is not counted twice). */
  @Column('uuid', { array: true, default: () => "'{}'" })
  tradeEventIds: string[];

  /** The bot's capital from its latest bot event; starting_equity is the capital as the row's snapshot saw it. */
  @Column('numeric', { precision: 28, scale: 8, nullable: true })
  capital: string | null;

  /** The events:strategy_signals entry that carried `capital`. */
  @Column('varchar', { length: 41, nullable: true })
  capitalEntryId: string | null;
}
