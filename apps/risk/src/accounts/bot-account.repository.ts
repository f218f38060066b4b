import { Injectable } from '@nestjs/common';
import Decimal from 'decimal.js';
import { DataSource, EntityManager } from 'typeorm';
import { BotAccount, HeldPosition, positionKey, withCapital } from '../book/bot-account';
import { BotAccountEntity } from './bot-account.entity';
import { BotPositionEntity } from './bot-position.entity';

@Injectable()
export class BotAccountRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Writes the account and replaces its positions (in the transaction of the event that changed them), unless the
   * stored row already holds a later events:trades entry (another instance saved a newer snapshot). The capital is
   * written apart, guarded by its own entry. Returns whether the snapshot was written.
   */
  async save(account: BotAccount, manager: EntityManager): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO risk.bot_accounts AS a (bot_id, user_id, starting_equity, realized_pnl, peak_equity, day, day_start_equity, day_trades, day_wins,
           day_losses, day_gross_profit, day_gross_loss, day_largest_win, day_largest_loss, week_start, week_start_equity, last_loss_at,
           trades_entry_id, trade_event_ids, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19::uuid[], now())
       ON CONFLICT ON CONSTRAINT pk_bot_accounts DO UPDATE SET
         user_id = EXCLUDED.user_id, starting_equity = EXCLUDED.starting_equity, realized_pnl = EXCLUDED.realized_pnl,
         peak_equity = EXCLUDED.peak_equity, day = EXCLUDED.day, day_start_equity = EXCLUDED.day_start_equity, day_trades = EXCLUDED.day_trades,
         day_wins = EXCLUDED.day_wins, day_losses = EXCLUDED.day_losses, day_gross_profit = EXCLUDED.day_gross_profit,
         day_gross_loss = EXCLUDED.day_gross_loss, day_largest_win = EXCLUDED.day_largest_win, day_largest_loss = EXCLUDED.day_largest_loss,
         week_start = EXCLUDED.week_start, week_start_equity = EXCLUDED.week_start_equity, last_loss_at = EXCLUDED.last_loss_at,
         trades_entry_id = EXCLUDED.trades_entry_id, trade_event_ids = EXCLUDED.trade_event_ids, updated_at = now()
       WHERE a.trades_entry_id IS NULL
          OR (EXCLUDED.trades_entry_id IS NOT NULL
              AND string_to_array(EXCLUDED.trades_entry_id, '-')::numeric[] >= string_to_array(a.trades_entry_id, '-')::numeric[])
       RETURNING 1`,
      [
        account.botId,
        account.userId,
        account.startingEquity.toFixed(),
        account.realizedPnl.toFixed(),
        account.peakEquity.toFixed(),
        account.day,
        account.dayStartEquity.toFixed(),
        account.dayTrades,
        account.dayStats.wins,
        account.dayStats.losses,
        account.dayStats.grossProfit.toFixed(),
        account.dayStats.grossLoss.toFixed(),
        account.dayStats.largestWin.toFixed(),
        account.dayStats.largestLoss.toFixed(),
        account.weekStart,
        account.weekStartEquity.toFixed(),
        account.lastLossAt,
        account.applied.tradesEntryId,
        account.applied.tradeEventIds,
      ],
    );
    const { capitalEntryId } = account.applied;
    if (capitalEntryId !== null) {
      await manager.query(
        `UPDATE risk.bot_accounts SET capital = $2, capital_entry_id = $3
          WHERE bot_id = $1 AND (capital_entry_id IS NULL OR string_to_array($3, '-')::numeric[] > string_to_array(capital_entry_id, '-')::numeric[])`,
        [account.botId, account.startingEquity.toFixed(), capitalEntryId],
      );
    }
    if (rows.length === 0) return false;
    await manager.delete(BotPositionEntity, { botId: account.botId });
    const positions = [...account.positions.values()].map((p) => ({
      botId: account.botId,
      exchange: p.exchange,
      symbol: p.symbol,
      quantity: p.quantity.toFixed(),
      avgEntryPrice: p.avgEntryPrice?.toFixed() ?? null,
      markPrice: p.markPrice?.toFixed() ?? null,
      unrealizedPnl: p.unrealizedPnl.toFixed(),
      changedAt: p.changedAt,
    }));
    if (positions.length > 0) await manager.insert(BotPositionEntity, positions);
    return true;
  }

  /** Every account with its positions, to rebuild the in-memory book at start. */
  async loadAll(): Promise<BotAccount[]> {
    const [accounts, positions] = await Promise.all([
      this.dataSource.getRepository(BotAccountEntity).find(),
      this.dataSource.getRepository(BotPositionEntity).find(),
    ]);
    const byBot = new Map<string, Map<string, HeldPosition>>();
    for (const p of positions) {
      let held = byBot.get(p.botId);
      if (!held) byBot.set(p.botId, (held = new Map()));
      held.set(positionKey(p.exchange, p.symbol), {
        exchange: p.exchange,
        symbol: p.symbol,
        quantity: new Decimal(p.quantity),
        avgEntryPrice: p.avgEntryPrice === null ? null : new Decimal(p.avgEntryPrice),
        markPrice: p.markPrice === null ? null : new Decimal(p.markPrice),
        unrealizedPnl: new Decimal(p.unrealizedPnl),
        changedAt: p.changedAt,
      });
    }
    return accounts.map((a) => {
      const snapshot: BotAccount = {
        botId: a.botId,
        userId: a.userId,
        startingEquity: new Decimal(a.startingEquity),
        realizedPnl: new Decimal(a.realizedPnl),
        peakEquity: new Decimal(a.peakEquity),
        day: a.day,
        dayStartEquity: new Decimal(a.dayStartEquity),
        dayTrades: a.dayTrades,
        dayStats: {
          wins: a.dayWins,
          losses: a.dayLosses,
          grossProfit: new Decimal(a.dayGrossProfit),
          grossLoss: new Decimal(a.dayGrossLoss),
          largestWin: new Decimal(a.dayLargestWin),
          largestLoss: new Decimal(a.dayLargestLoss),
        },
        weekStart: a.weekStart,
        weekStartEquity: new Decimal(a.weekStartEquity),
        lastLossAt: a.lastLossAt,
        positions: byBot.get(a.botId) ?? new Map(),
        applied: { tradesEntryId: a.tradesEntryId, capitalEntryId: null, tradeEventIds: a.tradeEventIds },
      };
      // The snapshot may predate the latest capital (written apart): move it onto that capital.
      return a.capital === null ? snapshot : withCapital(snapshot, new Decimal(a.capital), a.capitalEntryId);
    });
  }
}
