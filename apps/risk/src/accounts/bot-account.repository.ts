import { Injectable } from '@nestjs/common';
import Decimal from 'decimal.js';
import { DataSource, EntityManager } from 'typeorm';
import { BotAccount, HeldPosition, positionKey } from '../book/bot-account';
import { BotAccountEntity } from './bot-account.entity';
import { BotPositionEntity } from './bot-position.entity';

@Injectable()
export class BotAccountRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Writes the account and replaces its positions (one transaction with the event that changed them). */
  async save(account: BotAccount, manager: EntityManager): Promise<void> {
    await manager.getRepository(BotAccountEntity).upsert(
      {
        botId: account.botId,
        userId: account.userId,
        startingEquity: account.startingEquity.toFixed(),
        realizedPnl: account.realizedPnl.toFixed(),
        peakEquity: account.peakEquity.toFixed(),
        day: account.day,
        dayStartEquity: account.dayStartEquity.toFixed(),
        dayTrades: account.dayTrades,
        dayWins: account.dayStats.wins,
        dayLosses: account.dayStats.losses,
        dayGrossProfit: account.dayStats.grossProfit.toFixed(),
        dayGrossLoss: account.dayStats.grossLoss.toFixed(),
        dayLargestWin: account.dayStats.largestWin.toFixed(),
        dayLargestLoss: account.dayStats.largestLoss.toFixed(),
        weekStart: account.weekStart,
        weekStartEquity: account.weekStartEquity.toFixed(),
        lastLossAt: account.lastLossAt,
        updatedAt: new Date(),
      },
      { conflictPaths: ['botId'] },
    );
    await manager.delete(BotPositionEntity, { botId: account.botId });
    const rows = [...account.positions.values()].map((p) => ({
      botId: account.botId,
      exchange: p.exchange,
      symbol: p.symbol,
      quantity: p.quantity.toFixed(),
      avgEntryPrice: p.avgEntryPrice?.toFixed() ?? null,
      markPrice: p.markPrice?.toFixed() ?? null,
      unrealizedPnl: p.unrealizedPnl.toFixed(),
      changedAt: p.changedAt,
    }));
    if (rows.length > 0) await manager.insert(BotPositionEntity, rows);
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
    return accounts.map((a) => ({
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
    }));
  }
}
