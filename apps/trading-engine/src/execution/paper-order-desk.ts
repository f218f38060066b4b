import { Injectable } from '@nestjs/common';
import { RiskPreTradeCheck } from '@trading/contracts';
import { ExchangeError, ExchangeFinalError, ExchangeOrder, PaperExchangeAdapter } from '@trading/exchange';
import { DataSource } from 'typeorm';
import { BotAccountEntity } from '../accounts/bot-account.entity';
import { BotAccountRepository } from '../accounts/bot-account.repository';
import { FillBooker } from '../booking/fill-booker';
import { EventCause, OutboxBatch } from '../booking/outbox-batch';
import { OrderEntity } from '../orders/order.entity';
import { OrderRepository } from '../orders/order.repository';
import { EngineContext } from './engine-context';
import { EngineRejection, OrderDraft, OrderRecorder } from './order-recorder';
import { openPaperAccount, paperSnapshotToStore } from './paper-venue';
import { required } from '../database/required';

export class OrderNotCancellableError extends Error {
  constructor(readonly order: OrderEntity) {
    super(`order ${order.id} is ${order.status}: nothing to cancel`);
    this.name = 'OrderNotCancellableError';
  }
}

/**
 * Orders that do not come from a signal (manual orders, position closes, risk's flatten) on a bot's paper
 * account, with the same guarantees: under the bot's lock, risk asked first when `checkRisk`, and the order,
 * its fills, the account and the events committed in one transaction.
 */
@Injectable()
export class PaperOrderDesk {
  constructor(
    private readonly ctx: EngineContext,
    private readonly dataSource: DataSource,
    private readonly accounts: BotAccountRepository,
    private readonly orders: OrderRepository,
    private readonly recorder: OrderRecorder,
    private readonly booker: FillBooker,
  ) {}

  /**
   * Must run under the bot's lock. `referencePrice`: the current market price the caller checked, for drafts
   * without a limit price (else the account's last price, or the cached ticker).
   */
  async place(account: BotAccountEntity, drafts: OrderDraft[], options: { checkRisk: boolean; cause: EventCause; referencePrice?: string }): Promise<OrderEntity[]> {
    const paper = openPaperAccount(account, drafts.map((d) => d.symbol), this.ctx.paper);
    const outcomes: ({ draft: OrderDraft; placed: ExchangeOrder } | { draft: OrderDraft; reason: EngineRejection; message: string; rejectedBy: 'risk' | 'engine' | 'exchange'; riskCodes?: string[] })[] = [];
    for (const draft of drafts) {
      const reference = draft.price ?? options.referencePrice ?? (await paper.fetchTicker(draft.symbol).then((t) => t.last).catch(() => undefined)) ?? (await this.ctx.tickers.read(draft.exchange, draft.symbol).catch(() => null))?.last;
      if (options.checkRisk) {
        const price = reference;
        const verdict = await this.ctx.risk.check({ botId: account.botId, userId: account.userId, exchange: draft.exchange, symbol: draft.symbol, side: draft.side, orderType: draft.type, quantity: draft.quantity, ...(price ? { price } : {}) } as RiskPreTradeCheck.Request);
        if (verdict.kind === 'unavailable') {
          outcomes.push({ draft, reason: 'risk_unavailable', rejectedBy: 'risk', message: `risk check unavailable (${verdict.detail}): fail closed` });
          continue;
        }
        if (verdict.kind === 'denied') {
          outcomes.push({ draft, reason: 'risk_denied', rejectedBy: 'risk', riskCodes: verdict.reasons, message: `risk denied: ${verdict.reasons.join(', ')}` });
          continue;
        }
      }
      try {
        outcomes.push({ draft, placed: await paper.createOrder({ symbol: draft.symbol, type: draft.type, side: draft.side, amount: draft.quantity, ...(draft.price ? { price: draft.price } : {}), ...(reference ? { referencePrice: reference } : {}), clientOrderId: draft.clientOrderId }) });
      } catch (error) {
        if (!(error instanceof ExchangeError)) throw error;
        const reason: EngineRejection = error instanceof ExchangeFinalError && error.code === 'insufficient_funds' ? 'insufficient_funds' : 'invalid_order';
        outcomes.push({ draft, reason, rejectedBy: 'exchange', message: error.message });
      }
    }
    await this.feedFreshTicker(paper, drafts);
    const batch = new OutboxBatch(options.cause);
    return this.dataSource.transaction(async (manager) => {
      const stored = await this.accounts.lock(account.botId, manager);
      const result: OrderEntity[] = [];
      for (const o of outcomes) {
        if ('placed' in o) result.push(await this.recorder.placed(manager, o.draft, o.placed, batch));
        else result.push(await this.recorder.rejected(manager, o.draft, o.reason, { riskCodes: o.riskCodes, message: o.message, rejectedBy: o.rejectedBy }, batch));
      }
      for (const symbol of new Set(drafts.map((d) => d.symbol))) {
        await this.booker.bookPaperFills(manager, stored, paper, symbol, batch, new Set(drafts.map((d) => d.clientOrderId)));
      }
      await this.accounts.update(account.botId, { paperSnapshot: await paperSnapshotToStore(paper, () => this.orders.activeClientOrderIds(account.botId, manager)) }, manager);
      await batch.flush(this.ctx.outbox, manager);
      return Promise.all(result.map((order) => this.orders.findById(order.id, manager).then((o) => o ?? order)));
    });
  }

  /** Must run under the bot's lock. */
  async cancel(account: BotAccountEntity, order: OrderEntity): Promise<OrderEntity> {
    const paper = openPaperAccount(account, [order.symbol], this.ctx.paper);
    try {
      await paper.cancelOrder({ symbol: order.symbol, clientOrderId: order.clientOrderId });
    } catch (error) {
      if (!(error instanceof ExchangeFinalError && error.code === 'order_not_found')) throw error;
      throw new OrderNotCancellableError(order);
    }
    return this.dataSource.transaction(async (manager) => {
      await this.accounts.lock(account.botId, manager);
      await this.orders.update(order.id, { status: 'cancelled', cancelledAt: new Date() }, manager);
      await this.accounts.update(account.botId, { paperSnapshot: await paperSnapshotToStore(paper, () => this.orders.activeClientOrderIds(account.botId, manager)) }, manager);
      return required(await this.orders.findById(order.id, manager), `order ${order.id}`);
    });
  }

  /** The freshest cached ticker, when it is newer than what the account has seen: market orders fill at it. */
  private async feedFreshTicker(paper: PaperExchangeAdapter, drafts: OrderDraft[]): Promise<void> {
    const clock = paper.toJSON().clock;
    for (const d of drafts) {
      const ticker = await this.ctx.tickers.read(d.exchange, d.symbol).catch(() => null);
      const time = ticker ? new Date(ticker.time).getTime() : NaN;
      if (ticker && time >= clock) paper.onTicker({ symbol: d.symbol, timestamp: time, last: ticker.last, bid: ticker.bid, ask: ticker.ask });
    }
  }
}
