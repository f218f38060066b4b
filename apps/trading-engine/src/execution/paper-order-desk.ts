import { Injectable } from '@nestjs/common';
import { RiskPreTradeCheck } from '@trading/contracts';
import { ExchangeError, ExchangeFinalError, ExchangeOrder, PaperExchangeSnapshot, Ticker } from '@trading/exchange';
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
import { PaperPriceVerdict, paperPriceVerdict } from './price-freshness';
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
   * Must run under the bot's lock, with the account read under it. `prices`: per symbol, a ticker the caller
   * checked the account may trade at now (`paperPrices`): the expected price of drafts without a limit price,
   * then fed to the account, so market orders fill at it and limits it crosses fill. A symbol without one feeds
   * nothing: its market orders rest until the next market event (priced for funds at the account's last price).
   */
  async place(account: BotAccountEntity, drafts: OrderDraft[], options: { checkRisk: boolean; cause: EventCause; prices?: ReadonlyMap<string, Ticker> }): Promise<OrderEntity[]> {
    const paper = openPaperAccount(account, drafts.map((d) => d.symbol), this.ctx.paper);
    const outcomes: ({ draft: OrderDraft; placed: ExchangeOrder } | { draft: OrderDraft; reason: EngineRejection; message: string; rejectedBy: 'risk' | 'engine' | 'exchange'; riskCodes?: string[] })[] = [];
    for (const draft of drafts) {
      const reference = draft.price ?? options.prices?.get(draft.symbol)?.last ?? (await paper.fetchTicker(draft.symbol).then((t) => t.last).catch(() => undefined));
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
    for (const symbol of new Set(drafts.map((d) => d.symbol))) {
      const ticker = options.prices?.get(symbol);
      if (ticker) paper.onTicker(ticker);
    }
    const batch = new OutboxBatch(options.cause);
    return this.dataSource.transaction(async (manager) => {
      const stored = await this.accounts.lock(account.botId, manager);
      const result: OrderEntity[] = [];
      for (const o of outcomes) {
        if ('placed' in o) result.push(await this.recorder.placed(manager, o.draft, o.placed, batch));
        else result.push(await this.recorder.rejected(manager, o.draft, o.reason, { riskCodes: o.riskCodes, message: o.message, rejectedBy: o.rejectedBy }, batch));
      }
      // every unbooked fill on the symbols: a fed price also fills the account's resting orders it crosses
      for (const symbol of new Set(drafts.map((d) => d.symbol))) await this.booker.bookPaperFills(manager, stored, paper, symbol, batch);
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

  /**
   * Per symbol, whether the account may trade now at market-data's cached ticker: received within
   * PAPER_MANUAL_PRICE_MAX_AGE_MS and not older than the account's clock (`paperPriceVerdict`). Read it under the
   * bot's lock, with the account read under it, and hand the usable tickers to `place`.
   */
  async prices(account: BotAccountEntity, exchange: string, symbols: Iterable<string>): Promise<Map<string, PaperPriceVerdict>> {
    const accountClock = (account.paperSnapshot as PaperExchangeSnapshot | null)?.clock ?? 0;
    const verdicts = new Map<string, PaperPriceVerdict>();
    for (const symbol of new Set(symbols)) {
      const cached = await this.ctx.tickers.readReceived(exchange, symbol);
      verdicts.set(symbol, paperPriceVerdict(symbol, cached, { maxAgeMs: this.ctx.config.PAPER_MANUAL_PRICE_MAX_AGE_MS, now: Date.now(), accountClock }));
    }
    return verdicts;
  }
}

/** The usable tickers of `prices`, for `place`. */
export function usableTickers(verdicts: ReadonlyMap<string, PaperPriceVerdict>): Map<string, Ticker> {
  const usable = new Map<string, Ticker>();
  for (const [symbol, verdict] of verdicts) if (verdict.usable) usable.set(symbol, verdict.ticker);
  return usable;
}
