import { Injectable, Logger } from '@nestjs/common';
import { ExchangeFinalError } from '@trading/exchange';
import { In } from 'typeorm';
import { BotAccountRepository } from '../accounts/bot-account.repository';
import { FillBooker } from '../booking/fill-booker';
import { OutboxBatch } from '../booking/outbox-batch';
import { EngineContext } from '../execution/engine-context';
import { openPaperAccount } from '../execution/paper-venue';
import { LiveOrderDesk } from '../live/live-order-desk';
import { ACTIVE_ORDER_STATUSES, OrderEntity, OrderStatus } from '../orders/order.entity';

export interface ReconcileReport {
  readonly bots: number;
  readonly orders: number;
  readonly changed: number;
}

/**
 * Before the engine takes signals: every order the database still shows as working is looked up on its exchange
 * account by client order id; fills not booked yet are booked, and orders the exchange closed, cancelled or never
 * had get their final status. Paper bots through their stored paper account, live bots through their exchange
 * account (the key each order was sent with): a `pending` live order whose create never answered is found by its
 * client order id and booked, or marked `failed` once the exchange has not had it for LIVE_PENDING_GRACE_MS.
 */
@Injectable()
export class OpenOrderReconciler {
  private readonly logger = new Logger(OpenOrderReconciler.name);

  constructor(
    private readonly ctx: EngineContext,
    private readonly accounts: BotAccountRepository,
    private readonly booker: FillBooker,
    private readonly live: LiveOrderDesk,
  ) {}

  async reconcile(): Promise<ReconcileReport> {
    const active = await this.ctx.dataSource.getRepository(OrderEntity).find({ where: { status: In([...ACTIVE_ORDER_STATUSES]) }, order: { createdAt: 'ASC' } });
    const byBot = new Map<string, OrderEntity[]>();
    for (const order of active) if (order.botId) byBot.set(order.botId, [...(byBot.get(order.botId) ?? []), order]);
    let changed = 0;
    for (const [botId, orders] of byBot) {
      changed += await this.ctx.lock.withLock(botId, () => this.reconcileBot(botId, orders));
    }
    const report = { bots: byBot.size, orders: active.length, changed };
    this.logger.log({ msg: 'open orders reconciled', ...report });
    return report;
  }

  private async reconcileBot(botId: string, working: OrderEntity[]): Promise<number> {
    const account = await this.accounts.find(botId);
    if (!account) return 0;
    const live = working.filter((o) => o.mode === 'live');
    const liveChanged = live.length ? await this.live.sync(live, {}) : 0;
    const orders = working.filter((o) => o.mode === 'paper');
    if (account.mode !== 'paper' || orders.length === 0) return liveChanged;
    const symbols = [...new Set(orders.map((o) => o.symbol))];
    const paper = openPaperAccount(account, symbols, this.ctx.paper);
    let changed = 0;
    await this.ctx.dataSource.transaction(async (manager) => {
      const stored = await this.accounts.lock(botId, manager);
      const batch = new OutboxBatch({});
      for (const symbol of symbols) await this.booker.bookPaperFills(manager, stored, paper, symbol, batch, new Set(orders.map((o) => o.clientOrderId)));
      for (const order of orders) {
        let status: OrderStatus | null = null;
        try {
          const remote = await paper.fetchOrder({ symbol: order.symbol, clientOrderId: order.clientOrderId });
          if (remote.status === 'canceled') status = 'cancelled';
          else if (remote.status === 'rejected') status = 'rejected';
          else if (remote.status === 'expired') status = 'expired';
        } catch (error) {
          if (!(error instanceof ExchangeFinalError && error.code === 'order_not_found')) throw error;
          status = 'expired';
        }
        const current = await manager.getRepository(OrderEntity).findOneByOrFail({ id: order.id });
        if (status && ACTIVE_ORDER_STATUSES.includes(current.status)) {
          await manager.getRepository(OrderEntity).update({ id: order.id }, { status, updatedAt: new Date(), ...(status === 'cancelled' ? { cancelledAt: new Date() } : {}), rejectionReason: status === 'expired' ? 'not_on_exchange' : current.rejectionReason });
          changed++;
        } else if (current.status !== order.status) changed++;
      }
      await batch.flush(this.ctx.outbox, manager);
    });
    return changed + liveChanged;
  }
}
