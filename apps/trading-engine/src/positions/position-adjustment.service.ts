import { Injectable, Logger } from '@nestjs/common';
import {
  AuditRecorded,
  createEvent,
  RpcCaller,
  Streams,
  TradingAdjustedDriftView,
  TradingPositionAdjustmentView,
  TradingPositionsAdjust,
} from '@trading/contracts';
import { ExchangeError, MarketInfo } from '@trading/exchange';
import { RpcDomainError } from '@trading/streams';
import Decimal from 'decimal.js';
import { EntityManager } from 'typeorm';
import { dec, toMoney } from '../accounting/exact-decimal';
import { averageEntry, LedgerState, transferOut, unrealizedPnl } from '../accounting/ledger';
import { BotAccountRepository } from '../accounts/bot-account.repository';
import { AccountBalanceRepository } from '../balances/account-balance.repository';
import { BalanceRepository } from '../balances/balance.repository';
import { ENGINE_SOURCE, OutboxBatch } from '../booking/outbox-batch';
import { EngineContext } from '../execution/engine-context';
import { splitSymbol } from '../execution/paper-venue';
import { LiveKeyUnavailableError } from '../live/live-key-unavailable.error';
import { LiveOrderDesk } from '../live/live-order-desk';
import { LockBusyError } from '../locks/bot-order-lock';
import { OrderRepository } from '../orders/order.repository';
import { BalanceDriftStore } from '../reconcile/balance-drift.store';
import { isUniqueViolation } from '../signals/signal-processor.service';
import { positionView } from '../api/trading-views.mapper';
import { required } from '../database/required';
import { adjustmentRefusal } from './position-adjustment-rules';
import { PositionAdjustmentEntity } from './position-adjustment.entity';
import { PositionAdjustmentRepository } from './position-adjustment.repository';
import { PositionEntity } from './position.entity';
import { PositionRepository } from './position.repository';

interface PositionMetadata {
  entryCost?: string;
  entryFees?: string;
  realizedGross?: string;
  fees?: string;
}

/**
 * Sets a live bot's open position to what its exchange account holds, when coins left the account without the
 * engine seeing a fill (sold or withdrawn by hand, a fill missed): otherwise the bot keeps a phantom position whose
 * full exit the exchange refuses for insufficient funds, forever. The removed quantity leaves at its average entry
 * price (`transferOut`): realized PnL and cash do not move, the cost basis shrinks by the removed share.
 *
 * Reduce only, live only (a paper ledger is its exchange), under the bot's order lock with no working order of the
 * bot, the quantity on the pair's lot step. Position, balance, balance history, the adjustment row (keyed by the
 * client's request id: a retry books once), PositionChanged and an AuditRecorded `trading.position_adjusted` are
 * one transaction. The next balance check then sees the ledger within the exchange's total: the drift is reported
 * resolved as for any other.
 */
@Injectable()
export class PositionAdjustmentService {
  private readonly logger = new Logger(PositionAdjustmentService.name);
  private readonly drifts: BalanceDriftStore;

  constructor(
    private readonly ctx: EngineContext,
    private readonly positions: PositionRepository,
    private readonly adjustments: PositionAdjustmentRepository,
    private readonly orders: OrderRepository,
    private readonly balances: BalanceRepository,
    private readonly history: AccountBalanceRepository,
    private readonly accounts: BotAccountRepository,
    private readonly live: LiveOrderDesk,
  ) {
    this.drifts = new BalanceDriftStore(ctx.redis, ctx.namespace);
  }

  async adjust(r: TradingPositionsAdjust.Request): Promise<TradingPositionAdjustmentView> {
    const replay = await this.replay(r);
    if (replay) return replay;
    const position = await this.positions.findById(r.positionId);
    if (!position || !visible(r.caller, position.userId))
      throw new RpcDomainError(404, 'POSITION_NOT_FOUND', 'position not found');
    const botId = position.botId;
    if (position.status !== 'open' || !botId)
      throw new RpcDomainError(409, 'POSITION_NOT_OPEN', `position is ${position.status}`);
    const account = await this.accounts.find(botId);
    if (position.mode !== 'live' || account?.mode !== 'live') {
      throw new RpcDomainError(
        409,
        'POSITION_NOT_LIVE',
        "a paper bot's ledger is its exchange account: there is nothing to adjust",
      );
    }
    const exchangeKeyId = await this.orders.liveKeyOfPosition(position.id);
    if (!exchangeKeyId)
      throw new RpcDomainError(
        409,
        'LIVE_KEY_MISSING',
        'no live order of this position names the exchange key that holds it',
      );
    try {
      return await this.ctx.lock.withLock(botId, async () => {
        const again = await this.replay(r);
        if (again) return again;
        const working = await this.orders.findActiveByBot(botId);
        if (working.length) {
          throw new RpcDomainError(
            409,
            'BOT_HAS_WORKING_ORDERS',
            `the bot has ${working.length} working order(s): cancel them (or let them fill) before adjusting its position`,
          );
        }
        const market = await this.market(exchangeKeyId, position);
        const asset = splitSymbol(position.symbol).base;
        const drift = (await this.drifts.ofAccount(exchangeKeyId)).get(asset);
        const driftView: TradingAdjustedDriftView | null = drift
          ? {
              exchangeKeyId,
              exchangeTotal: drift.exchangeTotal,
              ledger: drift.ledger,
              shortfall: drift.shortfall,
              since: drift.since,
            }
          : null;
        const row = await this.ctx.dataSource.transaction((m) =>
          this.book(m, r, position.id, market, exchangeKeyId, driftView),
        );
        this.logger.warn({
          msg: 'live position adjusted to the exchange',
          positionId: row.positionId,
          botId: row.botId,
          actorUserId: row.actorUserId,
          symbol: row.symbol,
          from: row.fromQuantity,
          to: row.toQuantity,
          requestId: row.requestId,
          reason: row.reason,
        });
        return this.view(row, false);
      });
    } catch (error) {
      if (isUniqueViolation(error, 'pk_position_adjustments')) {
        const replayed = await this.replay(r);
        if (replayed) return replayed;
      }
      if (error instanceof LockBusyError)
        throw new RpcDomainError(409, 'BOT_BUSY', 'an order of the bot is in flight: try again in a moment');
      throw error;
    }
  }

  /** The answer to a request id already booked; another user's id, or the same id for another change, is refused. */
  private async replay(r: TradingPositionsAdjust.Request): Promise<TradingPositionAdjustmentView | null> {
    const row = await this.adjustments.findByRequestId(r.requestId);
    if (!row) return null;
    if (!visible(r.caller, row.userId)) throw new RpcDomainError(409, 'REQUEST_ID_TAKEN', 'request id already used');
    if (row.positionId !== r.positionId || !dec(row.toQuantity).eq(dec(r.quantity))) {
      throw new RpcDomainError(
        409,
        'REQUEST_ID_REUSED',
        `request id ${r.requestId} already adjusted position ${row.positionId} to ${dec(row.toQuantity).toFixed()}`,
      );
    }
    return this.view(row, true);
  }

  private async market(exchangeKeyId: string, position: PositionEntity): Promise<MarketInfo> {
    try {
      const venue = await this.live.venue({
        apiKeyId: exchangeKeyId,
        userId: position.userId,
        exchange: position.exchange,
      });
      const market = await this.live.market(venue, position.symbol);
      if (!market)
        throw new RpcDomainError(409, 'MARKET_UNAVAILABLE', `${position.exchange} has no market ${position.symbol}`);
      return market;
    } catch (error) {
      if (error instanceof LiveKeyUnavailableError)
        throw new RpcDomainError(409, 'LIVE_KEY_UNAVAILABLE', error.message);
      if (error instanceof ExchangeError) throw new RpcDomainError(503, 'EXCHANGE_UNAVAILABLE', error.message);
      throw error;
    }
  }

  private async book(
    m: EntityManager,
    r: TradingPositionsAdjust.Request,
    positionId: string,
    market: MarketInfo,
    exchangeKeyId: string,
    drift: TradingAdjustedDriftView | null,
  ): Promise<PositionAdjustmentEntity> {
    const seen = await this.positions.findById(positionId, m);
    const open = seen?.botId
      ? await this.positions.findOpen(
          { userId: seen.userId, botId: seen.botId, exchange: seen.exchange, symbol: seen.symbol },
          m,
        )
      : null;
    if (!seen || !open || open.id !== positionId)
      throw new RpcDomainError(409, 'POSITION_NOT_OPEN', 'position closed meanwhile');
    const botId = required(open.botId, 'bot of a live position');
    const account = required(await this.accounts.find(botId), `account of bot ${botId}`);
    const refusal = adjustmentRefusal(r.quantity, open.size, market);
    if (refusal) throw new RpcDomainError(refusal.status, refusal.code, refusal.message);

    const before = ledgerOf(open, account.cash);
    const { state: after, removedCost } = transferOut(before, dec(open.size).minus(r.quantity));
    const now = new Date();
    const netRealized = after.realizedGross.minus(after.fees);
    const mark = open.currentPrice ?? open.avgEntryPrice;
    const upnl = unrealizedPnl(after, mark);
    const avg = averageEntry(after);
    const metadata = {
      ...(open.metadata ?? {}),
      entryCost: after.entryCost.toFixed(),
      entryFees: after.entryFees.toFixed(),
      realizedGross: after.realizedGross.toFixed(),
      fees: after.fees.toFixed(),
    };
    if (after.qty.isZero()) {
      await this.positions.update(
        open.id,
        {
          status: 'closed',
          closedAt: now,
          unrealizedPnl: '0',
          realizedPnl: toMoney(netRealized),
          totalPnl: toMoney(netRealized),
          metadata,
        },
        m,
      );
    } else {
      const entry = required(avg, 'average entry of an open position');
      await this.positions.update(
        open.id,
        {
          size: after.qty.abs().toFixed(),
          avgEntryPrice: toMoney(entry),
          unrealizedPnl: toMoney(upnl),
          realizedPnl: toMoney(netRealized),
          totalPnl: toMoney(netRealized.plus(upnl)),
          metadata,
        },
        m,
      );
    }
    const asset = market.base;
    const held = after.qty.abs().toDecimalPlaces(8, Decimal.ROUND_DOWN).toFixed();
    await this.balances.set({ botId, userId: open.userId, currency: asset, free: held, locked: '0' }, m);
    await this.history.append(
      {
        botId,
        userId: open.userId,
        currency: asset,
        totalBalance: held,
        availableBalance: held,
        // no price here: the asset's own amount, as the exchange's reconciliation rows
        equity: held,
        unrealizedPnl: toMoney(upnl),
        realizedPnl: toMoney(netRealized),
        snapshotType: 'adjustment',
        dataSource: 'operator',
        exchange: open.exchange,
        exchangeKeyId,
        timestamp: now,
      },
      m,
    );
    const row = await this.adjustments.insert(
      {
        requestId: r.requestId,
        positionId: open.id,
        botId,
        userId: open.userId,
        actorUserId: r.caller.userId,
        exchange: open.exchange,
        exchangeKeyId,
        symbol: open.symbol,
        fromQuantity: open.size,
        toQuantity: dec(r.quantity).toFixed(),
        removedCost: toMoney(removedCost),
        avgEntryPrice: open.avgEntryPrice,
        reason: r.reason,
        drift: drift ? { ...drift } : null,
        createdAt: now,
      },
      m,
    );

    const batch = new OutboxBatch({});
    batch.positionChanged({
      botId,
      userId: open.userId,
      exchange: open.exchange,
      symbol: open.symbol,
      mode: open.mode,
      side: after.qty.isZero() ? 'flat' : open.side,
      quantity: after.qty.abs().toFixed(),
      avgEntryPrice: avg ? avg.toDecimalPlaces(8, Decimal.ROUND_HALF_EVEN).toFixed() : null,
      realizedPnl: netRealized.toFixed(),
      unrealizedPnl: upnl.toFixed(),
      markPrice: after.qty.isZero() ? null : dec(mark).toFixed(),
      tradeId: null,
      changedAt: now.toISOString(),
      reason: 'adjustment',
    });
    await batch.flush(this.ctx.outbox, m);
    const audit: AuditRecorded.Event = createEvent(
      AuditRecorded.TYPE,
      {
        actorUserId: r.caller.userId,
        action: 'trading.position_adjusted',
        resourceType: 'position',
        resourceId: open.id,
        outcome: 'success',
        ip: r.origin?.ip ?? null,
        userAgent: r.origin?.userAgent ?? null,
        details: {
          requestId: r.requestId,
          botId,
          userId: open.userId,
          exchange: open.exchange,
          exchangeKeyId,
          symbol: open.symbol,
          asset,
          from: dec(open.size).toFixed(),
          to: dec(r.quantity).toFixed(),
          removedQuantity: dec(open.size).minus(r.quantity).toFixed(),
          removedCost: removedCost.toFixed(),
          avgEntryPrice: dec(open.avgEntryPrice).toFixed(),
          reason: r.reason,
          drift,
        },
        recordedAt: now.toISOString(),
      },
      { source: ENGINE_SOURCE },
    );
    await this.ctx.outbox.add(m, Streams.Audit, [audit]);
    return row;
  }

  private async view(row: PositionAdjustmentEntity, replayed: boolean): Promise<TradingPositionAdjustmentView> {
    const position = required(await this.positions.findById(row.positionId), `position ${row.positionId}`);
    const from = dec(row.fromQuantity);
    const to = dec(row.toQuantity);
    return {
      requestId: row.requestId,
      positionId: row.positionId,
      botId: row.botId,
      userId: row.userId,
      actorUserId: row.actorUserId,
      exchange: row.exchange,
      symbol: row.symbol,
      fromQuantity: from.toFixed(),
      toQuantity: to.toFixed(),
      removedQuantity: from.minus(to).toFixed(),
      removedCost: dec(row.removedCost).toFixed(),
      avgEntryPrice: dec(row.avgEntryPrice).toFixed(),
      reason: row.reason,
      drift: (row.drift as TradingAdjustedDriftView | null) ?? null,
      adjustedAt: row.createdAt.toISOString(),
      replayed,
      position: positionView(position),
    };
  }
}

function visible(caller: RpcCaller, userId: string): boolean {
  return caller.role === 'admin' || caller.userId === userId;
}

/** The exact ledger of an open position as the FillBooker keeps it (cost basis and fees in its metadata). */
export function ledgerOf(open: PositionEntity, cash: string): LedgerState {
  const meta = (open.metadata ?? {}) as PositionMetadata;
  return {
    qty: dec(open.size).times(open.side === 'long' ? 1 : -1),
    entryCost: dec(meta.entryCost ?? dec(open.size).times(open.avgEntryPrice)),
    cash: dec(cash),
    realizedGross: dec(meta.realizedGross ?? 0),
    fees: dec(meta.fees ?? open.feesPaid),
    entryFees: dec(meta.entryFees ?? 0),
  };
}
