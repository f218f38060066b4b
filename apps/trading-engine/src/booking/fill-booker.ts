import { Injectable } from '@nestjs/common';
import type { ExchangeTrade, PaperExchangeAdapter } from '@trading/exchange';
import Decimal from 'decimal.js';
import { EntityManager } from 'typeorm';
import { applyFill, averageEntry, LedgerState, unrealizedPnl } from '../accounting/ledger';
import { dec, toMoney } from '../accounting/exact-decimal';
import { BotAccountEntity } from '../accounts/bot-account.entity';
import { BotAccountRepository } from '../accounts/bot-account.repository';
import { AccountBalanceRepository } from '../balances/account-balance.repository';
import { BalanceRepository } from '../balances/balance.repository';
import { splitSymbol } from '../execution/paper-venue';
import { OrderEntity, OrderStatus } from '../orders/order.entity';
import { OrderRepository } from '../orders/order.repository';
import { PositionEntity } from '../positions/position.entity';
import { PositionRepository } from '../positions/position.repository';
import { TradeRepository } from '../trades/trade.repository';
import { ledgerFillOf } from './ledger-fill';
import { OutboxBatch } from './outbox-batch';
import { required } from '../database/required';

/** Exit settings copied onto a position when an entry opens it (percent strings, e.g. "2" = 2 %). */
export interface ProtectiveSettings {
  readonly stopLossPct: string | null;
  readonly takeProfitPct: string | null;
  readonly trailingStopPct: string | null;
  readonly trailingStopActive: boolean;
}

interface PositionMetadata {
  entryCost?: string;
  entryFees?: string;
  realizedGross?: string;
  fees?: string;
}

const rounded8 = (v: Decimal.Value) => dec(v).toDecimalPlaces(8, Decimal.ROUND_DOWN);

/**
 * Books exchange fills into trades, the position, the order, the bot's cash and balances, and the events that
 * describe them, all with the caller's transaction (EntityManager). Fills already booked (same trade id) are
 * skipped, so booking the same fill twice is harmless.
 */
@Injectable()
export class FillBooker {
  constructor(
    private readonly orders: OrderRepository,
    private readonly trades: TradeRepository,
    private readonly positions: PositionRepository,
    private readonly balances: BalanceRepository,
    private readonly history: AccountBalanceRepository,
    private readonly accounts: BotAccountRepository,
  ) {}

  /** Books every fill of the paper account on `symbol` not booked yet (by trade id), of the given orders only if given. */
  async bookPaperFills(manager: EntityManager, account: BotAccountEntity, paper: PaperExchangeAdapter, symbol: string, batch: OutboxBatch, clientOrderIds?: ReadonlySet<string>): Promise<void> {
    const trades = (await paper.fetchMyTrades(symbol)).filter((t) => t.clientOrderId && (!clientOrderIds || clientOrderIds.has(t.clientOrderId)));
    if (trades.length === 0) return;
    const ids = trades.map((t) => `${t.clientOrderId}:${t.id}`);
    const booked = new Set(
      ((await manager.query(`SELECT trade_id FROM trading.trades WHERE trade_id = ANY($1)`, [ids])) as { trade_id: string }[]).map((r) => r.trade_id),
    );
    const byClientId = new Map<string, OrderEntity | null>();
    for (const trade of trades) {
      if (!trade.clientOrderId || booked.has(`${trade.clientOrderId}:${trade.id}`)) continue;
      if (!byClientId.has(trade.clientOrderId)) byClientId.set(trade.clientOrderId, await this.orders.findByClientOrderId(trade.clientOrderId, manager));
      const order = byClientId.get(trade.clientOrderId);
      if (order) await this.bookOne(manager, account, order, trade, batch, true);
    }
  }

  async book(manager: EntityManager, account: BotAccountEntity, order: OrderEntity, fills: ExchangeTrade[], batch: OutboxBatch): Promise<void> {
    for (const fill of fills) await this.bookOne(manager, account, order, fill, batch);
  }

  private async bookOne(manager: EntityManager, account: BotAccountEntity, order: OrderEntity, fill: ExchangeTrade, batch: OutboxBatch, knownNew = false): Promise<void> {
    const tradeId = `${order.clientOrderId}:${fill.id}`;
    if (!knownNew) {
      const seen: unknown[] = await manager.query(`SELECT 1 FROM trading.trades WHERE trade_id = $1`, [tradeId]);
      if (seen.length) return;
    }
    const key = { userId: order.userId, botId: order.botId, exchange: order.exchange, symbol: order.symbol };
    const open = await this.positions.findOpen(key, manager);
    const meta = (open?.metadata ?? {}) as PositionMetadata;
    const before: LedgerState = {
      qty: open ? dec(open.size).times(open.side === 'long' ? 1 : -1) : dec(0),
      entryCost: open ? dec(meta.entryCost ?? dec(open.size).times(open.avgEntryPrice)) : dec(0),
      cash: dec(account.cash),
      realizedGross: dec(meta.realizedGross ?? 0),
      fees: dec(meta.fees ?? open?.feesPaid ?? 0),
      entryFees: dec(meta.entryFees ?? 0),
    };
    const outcome = applyFill(before, ledgerFillOf(fill, order.symbol), { allowShort: account.marketType === 'futures' });
    const executedAt = new Date(fill.timestamp || Date.now());
    const { trade, inserted } = await this.trades.record(
      {
        tradeId,
        orderId: order.id,
        botId: order.botId,
        userId: order.userId,
        exchange: order.exchange,
        symbol: order.symbol,
        mode: order.mode,
        side: fill.side,
        price: fill.price,
        quantity: fill.amount,
        quoteQuantity: toMoney(dec(fill.amount).times(fill.price)),
        fee: toMoney(fill.fee.cost),
        feeCurrency: fill.fee.currency,
        realizedPnl: toMoney(outcome.tradeRealizedPnl),
        liquidity: fill.takerOrMaker,
        executedAt,
      },
      manager,
    );
    if (!inserted) return;

    const after = outcome.state;
    const position = await this.savePosition(manager, order, open, before, after, outcome.closedQty, trade.id, fill.price, executedAt);
    account.cash = after.cash.toFixed();
    await this.accounts.update(account.botId, { cash: account.cash }, manager);
    await this.saveBalances(manager, account, order.symbol, after);

    const filled = dec(order.filledQuantity).plus(fill.amount);
    const cost = dec(order.avgFillPrice ?? 0).times(order.filledQuantity).plus(dec(fill.amount).times(fill.price));
    const status: OrderStatus = filled.gte(order.quantity) ? 'filled' : 'partially_filled';
    const avg = cost.div(filled);
    const fees = dec(order.fees).plus(fill.fee.cost);
    order.filledQuantity = filled.toFixed();
    order.avgFillPrice = toMoney(avg);
    order.fees = toMoney(fees);
    order.status = status;
    order.positionId = position.id;
    const remaining = dec(order.quantity).minus(filled);
    await this.orders.update(
      order.id,
      {
        filledQuantity: order.filledQuantity,
        remainingQuantity: remaining.toFixed(),
        avgFillPrice: order.avgFillPrice,
        fees: order.fees,
        feeCurrency: fill.fee.currency,
        status,
        positionId: position.id,
        ...(status === 'filled' ? { filledAt: executedAt } : {}),
      },
      manager,
    );

    const common = { botId: order.botId, userId: order.userId, exchange: order.exchange, symbol: order.symbol, mode: order.mode };
    batch.orderFilled({
      ...common,
      orderId: order.id,
      clientOrderId: order.clientOrderId,
      exchangeOrderId: order.exchangeOrderId,
      side: fill.side,
      fillQuantity: fill.amount,
      fillPrice: fill.price,
      cumulativeQuantity: filled.toFixed(),
      remainingQuantity: remaining.toFixed(),
      averagePrice: avg.toDecimalPlaces(8, Decimal.ROUND_HALF_EVEN).toFixed(),
      status,
      fee: fill.fee.cost,
      feeCurrency: fill.fee.currency,
      filledAt: executedAt.toISOString(),
    });
    batch.tradeExecuted({
      ...common,
      tradeId: trade.id,
      orderId: order.id,
      side: fill.side,
      price: fill.price,
      quantity: fill.amount,
      fee: fill.fee.cost,
      feeCurrency: fill.fee.currency,
      realizedPnl: outcome.tradeRealizedPnl.toFixed(),
      executedAt: executedAt.toISOString(),
    });
    const avgEntry = averageEntry(after);
    batch.positionChanged({
      ...common,
      side: after.qty.isZero() ? 'flat' : after.qty.isPos() ? 'long' : 'short',
      quantity: after.qty.abs().toFixed(),
      avgEntryPrice: avgEntry ? avgEntry.toDecimalPlaces(8, Decimal.ROUND_HALF_EVEN).toFixed() : null,
      realizedPnl: after.realizedGross.minus(after.fees).toFixed(),
      unrealizedPnl: unrealizedPnl(after, fill.price).toFixed(),
      markPrice: fill.price,
      tradeId: trade.id,
      changedAt: executedAt.toISOString(),
    });
    await this.history.append(
      {
        botId: account.botId,
        userId: account.userId,
        currency: account.quoteCurrency,
        totalBalance: rounded8(after.cash).toFixed(),
        availableBalance: rounded8(after.cash).toFixed(),
        equity: rounded8(Decimal.max(0, after.cash.plus(after.qty.times(fill.price)))).toFixed(),
        unrealizedPnl: toMoney(unrealizedPnl(after, fill.price)),
        realizedPnl: toMoney(after.realizedGross.minus(after.fees)),
        snapshotType: outcome.closedQty.gt(0) ? 'trade_close' : 'trade_open',
        dataSource: order.mode === 'paper' ? 'paper' : 'exchange',
        timestamp: executedAt,
      },
      manager,
    );
  }

  private async savePosition(
    manager: EntityManager,
    order: OrderEntity,
    open: PositionEntity | null,
    before: LedgerState,
    after: LedgerState,
    closedQty: Decimal,
    tradeId: string,
    price: string,
    at: Date,
  ): Promise<PositionEntity> {
    const netRealized = after.realizedGross.minus(after.fees);
    const flipped = !before.qty.isZero() && !after.qty.isZero() && before.qty.isPos() !== after.qty.isPos();
    if (open && (after.qty.isZero() || flipped)) {
      // The closing part books into the old position; a flip opens a new one with the rest.
      await this.positions.update(
        open.id,
        {
          status: 'closed',
          closedAt: at,
          currentPrice: price,
          unrealizedPnl: '0',
          realizedPnl: toMoney(netRealized),
          totalPnl: toMoney(netRealized),
          feesPaid: toMoney(after.fees),
          exitTradeIds: [...(open.exitTradeIds ?? []), tradeId],
          metadata: { ...(open.metadata ?? {}), entryCost: '0', entryFees: '0', realizedGross: after.realizedGross.toFixed(), fees: after.fees.toFixed() },
        },
        manager,
      );
      if (!flipped) return { ...open, status: 'closed' };
    }
    if (open && !flipped) {
      const avg = required(averageEntry(after), 'average entry of an open position');
      const upnl = unrealizedPnl(after, price);
      await this.positions.update(
        open.id,
        {
          size: after.qty.abs().toFixed(),
          avgEntryPrice: toMoney(avg),
          currentPrice: price,
          unrealizedPnl: toMoney(upnl),
          realizedPnl: toMoney(netRealized),
          totalPnl: toMoney(netRealized.plus(upnl)),
          feesPaid: toMoney(after.fees),
          ...(closedQty.gt(0)
            ? { exitTradeIds: [...(open.exitTradeIds ?? []), tradeId] }
            : { entryTradeIds: [...(open.entryTradeIds ?? []), tradeId] }),
          metadata: { ...(open.metadata ?? {}), entryCost: after.entryCost.toFixed(), entryFees: after.entryFees.toFixed(), realizedGross: after.realizedGross.toFixed(), fees: after.fees.toFixed() },
        },
        manager,
      );
      return open;
    }
    const long = after.qty.isPos();
    const avg = required(averageEntry(after), 'average entry of an open position');
    const protective = (order.orderMetadata?.protective ?? null) as ProtectiveSettings | null;
    const pct = (p: string | null | undefined) => (p ? dec(p).div(100) : null);
    const sl = pct(protective?.stopLossPct);
    const tp = pct(protective?.takeProfitPct);
    const trail = protective?.trailingStopActive ? pct(protective?.trailingStopPct) : null;
    const feesHere = flipped ? dec(0) : after.fees;
    return this.positions.create(
      {
        botId: order.botId,
        userId: order.userId,
        exchange: order.exchange,
        symbol: order.symbol,
        mode: order.mode,
        side: long ? 'long' : 'short',
        size: after.qty.abs().toFixed(),
        avgEntryPrice: toMoney(avg),
        currentPrice: price,
        realizedPnl: toMoney(flipped ? 0 : netRealized),
        totalPnl: toMoney(flipped ? 0 : netRealized),
        feesPaid: toMoney(feesHere),
        stopLoss: sl ? toMoney(long ? avg.times(dec(1).minus(sl)) : avg.times(dec(1).plus(sl))) : null,
        takeProfit: tp ? toMoney(long ? avg.times(dec(1).plus(tp)) : avg.times(dec(1).minus(tp))) : null,
        trailingStopPct: trail && trail.gt(0) && trail.lt(1) ? trail.toDecimalPlaces(4).toFixed() : null,
        highestPrice: price,
        lowestPrice: price,
        strategy: typeof order.orderMetadata?.strategy === 'string' ? (order.orderMetadata.strategy as string) : null,
        openedAt: at,
        entryTradeIds: [tradeId],
        metadata: {
          entryCost: after.entryCost.toFixed(),
          entryFees: after.entryFees.toFixed(),
          realizedGross: flipped ? '0' : after.realizedGross.toFixed(),
          fees: feesHere.toFixed(),
        },
      },
      manager,
    );
  }

  private async saveBalances(manager: EntityManager, account: BotAccountEntity, symbol: string, after: LedgerState): Promise<void> {
    const rows = [{ botId: account.botId, userId: account.userId, currency: account.quoteCurrency, free: rounded8(after.cash).toFixed(), locked: '0' }];
    if (account.marketType === 'spot') {
      rows.push({ botId: account.botId, userId: account.userId, currency: splitSymbol(symbol).base, free: rounded8(after.qty).toFixed(), locked: '0' });
    }
    await this.balances.setAll(rows, manager);
  }
}
