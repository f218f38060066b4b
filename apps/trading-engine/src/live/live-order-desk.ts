import { Injectable, Logger } from '@nestjs/common';
import {
  Balances,
  ExchangeError,
  ExchangeFinalError,
  ExchangeOrder,
  ExchangeTrade,
  MarketInfo,
  OrderNotPlacedError,
} from '@trading/exchange';
import { EntityManager } from 'typeorm';
import { v7 } from 'uuid';
import { dec, floorToStep } from '../accounting/exact-decimal';
import { LedgerRefusal } from '../accounting/ledger';
import { BotAccountRepository } from '../accounts/bot-account.repository';
import { FillBooker } from '../booking/fill-booker';
import { EventCause, OutboxBatch } from '../booking/outbox-batch';
import { required } from '../database/required';
import { EngineContext } from '../execution/engine-context';
import { EngineRejection, OrderDraft, OrderRecorder } from '../execution/order-recorder';
import { ACTIVE_ORDER_STATUSES, OrderEntity, OrderStatus } from '../orders/order.entity';
import { OrderRepository } from '../orders/order.repository';
import { PositionEntity } from '../positions/position.entity';
import { ExchangeKeyRef } from './exchange-key.provider';
import { LiveExchanges, LiveVenue } from './live-exchanges';
import { LiveKeyUnavailableError } from './live-key-unavailable.error';

/** What a final refusal of the exchange becomes on the order; anything else leaves the order for reconciliation. */
const REFUSALS: Partial<Record<ExchangeFinalError['code'], EngineRejection>> = {
  insufficient_funds: 'insufficient_funds',
  invalid_order: 'invalid_order',
  auth: 'exchange_auth',
  rate_limited: 'rate_limited',
};

const REMOTE_TERMINAL: Partial<Record<ExchangeOrder['status'], OrderStatus>> = {
  canceled: 'cancelled',
  expired: 'expired',
  rejected: 'rejected',
};

export interface LiveExitRequest {
  readonly source: OrderDraft['source'];
  readonly purpose: OrderDraft['purpose'];
  readonly metadata: OrderDraft['metadata'];
  /** Expected fill price: checks the minimum notional without asking the exchange for a ticker. */
  readonly referencePrice?: string;
}

/** The exchange's key of a live order (kept in its metadata; the key id, never key material). */
export function apiKeyIdOf(order: OrderEntity): string | null {
  const id = order.orderMetadata?.['apiKeyId'];
  return typeof id === 'string' ? id : null;
}

/**
 * Live orders on a real exchange, money safety first:
 * 1. the order row is committed `pending` (client order id UNIQUE) before anything is sent;
 * 2. it is sent once, with that client order id, outside any transaction; a create whose outcome is unknown is
 *    resolved by looking the order up by client order id (the adapter does it), never by sending again;
 * 3. the answer moves the order to submitted / partially_filled / filled, or to rejected with the mapped reason
 *    (insufficient funds, invalid order, key refused, rate limited); an unknown outcome leaves it `pending`;
 * 4. fills are fetched from the exchange and booked by the FillBooker (trades, position, cash, balances and
 *    events in one transaction; a fill already booked is skipped), exactly as paper fills are.
 * Every method must run under the bot's order lock.
 */
@Injectable()
export class LiveOrderDesk {
  private readonly logger = new Logger(LiveOrderDesk.name);
  private readonly lastSynced = new Map<string, number>();

  constructor(
    private readonly ctx: EngineContext,
    private readonly exchanges: LiveExchanges,
    private readonly accounts: BotAccountRepository,
    private readonly orders: OrderRepository,
    private readonly recorder: OrderRecorder,
    private readonly booker: FillBooker,
  ) {}

  venue(ref: ExchangeKeyRef): Promise<LiveVenue> {
    return this.exchanges.venue(ref);
  }

  /** The pair's rules on the venue (loadMarkets, cached by the client); undefined when the exchange has no such market. */
  async market(venue: LiveVenue, symbol: string): Promise<MarketInfo | undefined> {
    return (await this.guard(venue, () => venue.adapter.loadMarkets()))[symbol];
  }

  /** Records drafts as `pending` in the caller's transaction, tagged with the key they will be sent with. */
  async recordPending(manager: EntityManager, venue: LiveVenue, drafts: OrderDraft[]): Promise<OrderEntity[]> {
    const rows: OrderEntity[] = [];
    for (const draft of drafts)
      rows.push(
        await this.recorder.pending(manager, {
          ...draft,
          mode: 'live',
          metadata: { ...draft.metadata, apiKeyId: venue.apiKeyId },
        }),
      );
    return rows;
  }

  /** Commits the drafts `pending` (own transaction), then sends them. */
  async place(
    venue: LiveVenue,
    drafts: OrderDraft[],
    cause: EventCause,
    referencePrice?: string,
  ): Promise<OrderEntity[]> {
    const pending = await this.ctx.dataSource.transaction((manager) => this.recordPending(manager, venue, drafts));
    return this.send(venue, pending, cause, referencePrice);
  }

  /**
   * Sends committed `pending` orders one after the other. An order that does not end resolved (refused, or its
   * outcome unknown) stops the rest: they are refused unsent (`previous_order_unresolved`).
   */
  async send(
    venue: LiveVenue,
    pending: OrderEntity[],
    cause: EventCause,
    referencePrice?: string,
  ): Promise<OrderEntity[]> {
    const result: OrderEntity[] = [];
    let blocked: string | null = null;
    for (const order of pending) {
      if (blocked) {
        result.push(
          await this.refuse(order, 'previous_order_unresolved', `not sent: ${blocked}`, 'engine', 'rejected', cause),
        );
        continue;
      }
      const sent = await this.sendOne(venue, order, cause, referencePrice);
      result.push(sent);
      if (sent.status !== 'filled') blocked = `the order before it, ${sent.clientOrderId}, is ${sent.status}`;
    }
    return result;
  }

  /**
   * Looks orders up on the exchange by client order id and books what happened to them (the start-up
   * reconciliation, working orders on market events, before a new signal). Returns how many changed.
   * `minIntervalMs`: skip orders looked up more recently than that.
   */
  async sync(orders: OrderEntity[], cause: EventCause, options: { minIntervalMs?: number } = {}): Promise<number> {
    let changed = 0;
    const now = Date.now();
    const due = orders.filter(
      (o) => !options.minIntervalMs || now - (this.lastSynced.get(o.id) ?? 0) >= options.minIntervalMs,
    );
    for (const order of due) {
      this.lastSynced.set(order.id, now);
      const venue = await this.venueOf(order);
      if (!venue) continue;
      const before = order.status;
      const after = await this.syncOne(venue, order, cause);
      if (after.status !== before || after.filledQuantity !== order.filledQuantity) changed++;
      if (!ACTIVE_ORDER_STATUSES.includes(after.status)) this.lastSynced.delete(order.id);
    }
    return changed;
  }

  /**
   * Before a new signal acts: the bot's working orders are brought up to date, those still resting are cancelled
   * (as paper cancels them), and the orders still unresolved (outcome unknown, or no key to look them up) are returned.
   */
  async settle(orders: OrderEntity[], cause: EventCause): Promise<OrderEntity[]> {
    const unresolved: OrderEntity[] = [];
    for (const order of orders) {
      const venue = await this.venueOf(order);
      if (!venue) {
        unresolved.push(order);
        continue;
      }
      let current = await this.syncOne(venue, order, cause);
      if (current.status === 'submitted' || current.status === 'partially_filled')
        current = await this.cancel(venue, current, cause);
      if (ACTIVE_ORDER_STATUSES.includes(current.status)) unresolved.push(current);
    }
    return unresolved;
  }

  /** Free balance of one asset on the venue ('0' when the account has none). */
  async freeBalance(venue: LiveVenue, asset: string): Promise<string> {
    return (await this.balances(venue))[asset]?.free ?? '0';
  }

  /** Every balance of the venue's account, as the exchange reports it. */
  balances(venue: LiveVenue): Promise<Balances> {
    return this.guard(venue, () => venue.adapter.fetchBalance());
  }

  /** Cancels a working order (a user's request): through the key it was sent with. */
  async cancelWorking(order: OrderEntity, cause: EventCause): Promise<OrderEntity> {
    const apiKeyId = apiKeyIdOf(order);
    if (!apiKeyId) throw new LiveKeyUnavailableError('no_api_key', `live order ${order.id} has no exchange key`);
    const venue = await this.venue({ apiKeyId, userId: order.userId, exchange: order.exchange });
    // a pending order is first looked up: the exchange may have it (then it is cancelled) or not (left to reconcile)
    const current = order.status === 'pending' ? await this.syncOne(venue, order, cause) : order;
    if (current.status !== 'submitted' && current.status !== 'partially_filled') return current;
    return this.cancel(venue, current, cause);
  }

  /** Cancels a working order on the exchange and books what it filled before. */
  async cancel(venue: LiveVenue, order: OrderEntity, cause: EventCause): Promise<OrderEntity> {
    let remote: ExchangeOrder;
    try {
      remote = await this.guard(venue, () =>
        venue.adapter.cancelOrder({ symbol: order.symbol, clientOrderId: order.clientOrderId }),
      );
    } catch (error) {
      // closed meanwhile (filled or cancelled): the lookup tells which
      if (error instanceof ExchangeFinalError && error.code === 'order_not_found')
        return this.syncOne(venue, order, cause);
      throw error;
    }
    return this.applyRemote(venue, order, remote, cause);
  }

  /**
   * A market order closing a live position (stops, take profit, manual close, risk's flatten), sized to what the
   * exchange can trade: the position rounded down to the lot step. Null when that is below the pair's minimum
   * (dust the exchange cannot sell on its own).
   */
  async closePosition(
    position: PositionEntity,
    request: LiveExitRequest,
    cause: EventCause,
  ): Promise<OrderEntity | null> {
    const apiKeyId = await this.orders.liveKeyOfPosition(position.id);
    if (!apiKeyId || !position.botId) {
      this.logger.error({ msg: 'live position without the key that opened it: not closed', positionId: position.id });
      return null;
    }
    const venue = await this.venue({ apiKeyId, userId: position.userId, exchange: position.exchange });
    const market = await this.market(venue, position.symbol);
    if (!market) throw new ExchangeFinalError('invalid_order', `${position.exchange} has no market ${position.symbol}`);
    const quantity = tradableQuantity(position.size, market);
    if (!quantity) {
      this.logger.debug({
        msg: 'live position below the pair minimum: nothing to close',
        positionId: position.id,
        size: position.size,
      });
      return null;
    }
    const draft: OrderDraft = {
      clientOrderId: newClientOrderId(),
      signalId: null,
      botId: position.botId,
      userId: position.userId,
      exchange: position.exchange,
      symbol: position.symbol,
      mode: 'live',
      source: request.source,
      purpose: request.purpose,
      side: position.side === 'long' ? 'sell' : 'buy',
      type: 'market',
      quantity,
      price: null,
      metadata: { ...request.metadata, positionId: position.id },
    };
    const [order] = await this.place(venue, [draft], cause, request.referencePrice);
    return order ?? null;
  }

  /** The venue of the key an order was sent with; null (logged) when it cannot be had. */
  private async venueOf(order: OrderEntity): Promise<LiveVenue | null> {
    const apiKeyId = apiKeyIdOf(order);
    if (!apiKeyId || !order.botId) {
      this.logger.error({
        msg: 'live order without exchange key or bot: cannot be looked up',
        orderId: order.id,
        clientOrderId: order.clientOrderId,
      });
      return null;
    }
    try {
      return await this.venue({ apiKeyId, userId: order.userId, exchange: order.exchange });
    } catch (error) {
      if (!(error instanceof LiveKeyUnavailableError)) throw error;
      this.logger.warn({
        msg: 'live order not looked up: no exchange key',
        orderId: order.id,
        problem: error.problem,
        detail: error.message,
      });
      return null;
    }
  }

  private async sendOne(
    venue: LiveVenue,
    order: OrderEntity,
    cause: EventCause,
    referencePrice?: string,
  ): Promise<OrderEntity> {
    let placed: ExchangeOrder;
    try {
      placed = await venue.adapter.createOrder({
        symbol: order.symbol,
        type: order.orderType === 'limit' ? 'limit' : 'market',
        side: order.side,
        amount: order.quantity,
        ...(order.price ? { price: order.price } : {}),
        ...(referencePrice ? { referencePrice } : {}),
        clientOrderId: order.clientOrderId,
      });
    } catch (error) {
      if (!(error instanceof ExchangeError)) {
        await this.noteUnresolved(order, error);
        throw error;
      }
      const refusal =
        error instanceof ExchangeFinalError && !(error instanceof OrderNotPlacedError)
          ? REFUSALS[error.code]
          : undefined;
      if (refusal) {
        if (refusal === 'exchange_auth') this.exchanges.forget(venue.apiKeyId);
        this.logger.warn({
          msg: 'live order refused by the exchange',
          orderId: order.id,
          clientOrderId: order.clientOrderId,
          reason: refusal,
          detail: error.message,
        });
        return this.refuse(order, refusal, error.message, 'exchange', 'rejected', cause);
      }
      // Timeout, dropped connection, lookups that failed too: the order may exist. Never resent; reconciled.
      return this.noteUnresolved(order, error);
    }
    return this.applyRemote(venue, order, placed, cause);
  }

  private async syncOne(venue: LiveVenue, order: OrderEntity, cause: EventCause): Promise<OrderEntity> {
    let remote: ExchangeOrder;
    try {
      remote = await this.guard(venue, () =>
        venue.adapter.fetchOrder({ symbol: order.symbol, clientOrderId: order.clientOrderId }),
      );
    } catch (error) {
      if (!(error instanceof ExchangeError)) throw error;
      if (error instanceof ExchangeFinalError && error.code === 'order_not_found')
        return this.notOnExchange(order, cause);
      this.logger.warn({
        msg: 'live order lookup failed: left as it is',
        orderId: order.id,
        clientOrderId: order.clientOrderId,
        detail: error.message,
      });
      return order;
    }
    return this.applyRemote(venue, order, remote, cause);
  }

  /**
   * What the exchange says about the order, booked. A fill the ledger refuses (a buy that costs more than the
   * bot's cash: the price ran past the sizing buffer) is not booked: logged as an error, the order stays as it
   * is and the next lookup tries again. The exchange's state is never lost, and the bot's ledger never lies.
   */
  private async applyRemote(
    venue: LiveVenue,
    order: OrderEntity,
    remote: ExchangeOrder,
    cause: EventCause,
  ): Promise<OrderEntity> {
    try {
      return await this.bookRemote(venue, order, remote, cause);
    } catch (error) {
      if (!(error instanceof LedgerRefusal)) throw error;
      this.logger.error({
        msg: 'live fill not booked: the ledger refuses it',
        orderId: order.id,
        clientOrderId: order.clientOrderId,
        reason: error.code,
        detail: error.message,
      });
      return required(await this.orders.findById(order.id), `order ${order.id}`);
    }
  }

  /** Acknowledgement, fills and final state of one order, in one transaction. */
  private async bookRemote(
    venue: LiveVenue,
    order: OrderEntity,
    remote: ExchangeOrder,
    cause: EventCause,
  ): Promise<OrderEntity> {
    let fills: ExchangeTrade[] | null = [];
    if (dec(remote.filled).gt(0)) {
      try {
        fills = (
          await this.guard(venue, () => venue.adapter.fetchOrderTrades({ symbol: order.symbol, id: remote.id }))
        ).filter((t) => !t.orderId || t.orderId === remote.id);
      } catch (error) {
        if (!(error instanceof ExchangeError)) throw error;
        this.logger.warn({
          msg: 'fills of a live order not fetched: booked at the next lookup',
          orderId: order.id,
          detail: error.message,
        });
        fills = null;
      }
    }
    const botId = required(order.botId, `bot of live order ${order.id}`);
    return this.ctx.dataSource.transaction(async (manager) => {
      const account = await this.accounts.lock(botId, manager);
      const current = required(await this.orders.findById(order.id, manager), `order ${order.id}`);
      const batch = new OutboxBatch(cause);
      if (current.status === 'pending') await this.recorder.acknowledged(manager, current, remote, batch);
      else if (!current.exchangeOrderId) await this.orders.update(current.id, { exchangeOrderId: remote.id }, manager);
      if (fills?.length) await this.booker.book(manager, account, current, fills, batch);
      const booked = required(await this.orders.findById(order.id, manager), `order ${order.id}`);
      const terminal = REMOTE_TERMINAL[remote.status];
      const allBooked = dec(booked.filledQuantity).gte(remote.filled);
      if (terminal && allBooked && ACTIVE_ORDER_STATUSES.includes(booked.status)) {
        await this.orders.update(
          booked.id,
          { status: terminal, ...(terminal === 'cancelled' ? { cancelledAt: new Date() } : {}) },
          manager,
        );
      }
      await batch.flush(this.ctx.outbox, manager);
      return required(await this.orders.findById(order.id, manager), `order ${order.id}`);
    });
  }

  /** The exchange has no order with this client order id. */
  private async notOnExchange(order: OrderEntity, cause: EventCause): Promise<OrderEntity> {
    if (order.status !== 'pending') {
      // it had acknowledged it: gone from the exchange's books (archived or purged)
      await this.orders.update(order.id, { status: 'expired', rejectionReason: 'not_on_exchange' });
      return required(await this.orders.findById(order.id), `order ${order.id}`);
    }
    const age = Date.now() - order.createdAt.getTime();
    if (age < this.ctx.config.LIVE_PENDING_GRACE_MS) return order; // may still appear: the exchange can lag behind its answer
    return this.refuse(
      order,
      'not_on_exchange',
      `the exchange has no order ${order.clientOrderId} ${Math.round(age / 1000)} s after it was recorded: never placed`,
      'exchange',
      'failed',
      cause,
    );
  }

  private async refuse(
    order: OrderEntity,
    reason: EngineRejection,
    message: string,
    rejectedBy: 'engine' | 'exchange',
    status: 'rejected' | 'failed',
    cause: EventCause,
  ): Promise<OrderEntity> {
    return this.ctx.dataSource.transaction(async (manager) => {
      const current = required(await this.orders.findById(order.id, manager), `order ${order.id}`);
      if (current.status !== 'pending') return current;
      const batch = new OutboxBatch(cause);
      await this.recorder.refused(manager, current, reason, { message, rejectedBy, status }, batch);
      await batch.flush(this.ctx.outbox, manager);
      return required(await this.orders.findById(order.id, manager), `order ${order.id}`);
    });
  }

  private async noteUnresolved(order: OrderEntity, error: unknown): Promise<OrderEntity> {
    const detail = error instanceof Error ? error.message : String(error);
    this.logger.warn({
      msg: 'live order outcome unknown: left pending for reconciliation, never resent',
      orderId: order.id,
      clientOrderId: order.clientOrderId,
      detail,
    });
    await this.orders.update(order.id, {
      errorCode: 'outcome_unknown',
      retryCount: order.retryCount + 1,
      orderMetadata: { ...(order.orderMetadata ?? {}), lastError: detail.slice(0, 500) },
    });
    return required(await this.orders.findById(order.id), `order ${order.id}`);
  }

  /** A call whose refusal says the key is bad drops the key's client. */
  private async guard<T>(venue: LiveVenue, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof ExchangeFinalError && error.code === 'auth') this.exchanges.forget(venue.apiKeyId);
      throw error;
    }
  }
}

/** The quantity an exchange accepts for `size`: rounded down to the lot step; null below the pair's minimum. */
export function tradableQuantity(size: string, market: Pick<MarketInfo, 'amountStep' | 'minAmount'>): string | null {
  const rounded = floorToStep(size, market.amountStep);
  if (rounded.lte(0) || (market.minAmount !== undefined && rounded.lt(market.minAmount))) return null;
  return rounded.toFixed();
}

/** Client order id of an order that has no signal (36 characters: within Binance's limit of 36). */
export function newClientOrderId(): string {
  return v7();
}
